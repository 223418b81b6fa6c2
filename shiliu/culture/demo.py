"""Demo culture data: heritage items of the demo regions under their real, published names (新源 and 伊犁's Kazakh
heritage, 扬州's crafts and storytelling, and the other demo places), works recorded under them, a touring
exhibition, a year of publicity lectures and a language course. Bearers' names are made up (demo data must not
attribute anything to real people)."""

from __future__ import annotations

import datetime as dt
import io
import random
from functools import lru_cache
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from shiliu.accounts.models import User
from shiliu.exchanges.ledger.models import Activity
from shiliu.lib import clock
from shiliu.regions.models import EthnicGroup, Region

from . import courses, lectures, search, services
from .models import Course, Enrollment, Exhibition, Item, Lecture, LectureSeries, Media

# (division code, title, category, level, ethnic group codes, summary)
HERITAGE: list[tuple[str, str, str, str, list[str], str]] = [
    (
        "654025",
        "哈萨克族阿依特斯",
        "quyi",
        "national",
        ["17"],
        "阿肯即兴对唱，以冬不拉伴奏，在草原聚会上比赛诗才。",
    ),
    ("654025", "哈萨克族冬不拉艺术", "music", "national", ["17"], "两弦弹拨乐器冬不拉的演奏与曲目（奎依）。"),
    ("654025", "哈萨克族黑走马", "dance", "national", ["17"], "模仿骏马步态的民间舞蹈，节奏明快。"),
    ("654025", "哈萨克族库布孜", "music", "national", ["17"], "拉弦乐器库布孜的制作与演奏。"),
    ("654025", "哈萨克族民间长诗", "folk_literature", "national", ["17"], "口头传唱的叙事长诗。"),
    (
        "654025",
        "哈萨克族毡绣和布绣",
        "fine_arts",
        "national",
        ["17"],
        "以毡、布为底的刺绣，用于毡房装饰与服饰。",
    ),
    ("654025", "哈萨克族叼羊", "sports", "national", ["17"], "马上争夺的传统竞技。"),
    ("654025", "哈萨克族姑娘追", "sports", "provincial", ["17"], "青年男女马上追逐的传统游艺。"),
    ("654025", "哈萨克族毡房营造技艺", "craftsmanship", "national", ["17"], "可拆装的圆形毡房的营造技艺。"),
    ("654025", "哈萨克族传统医药", "medicine", "national", ["17"], "哈萨克医药的诊疗方法与药物炮制。"),
    ("654025", "哈萨克族服饰", "folk_custom", "provincial", ["17"], "哈萨克族传统服饰及其制作。"),
    ("654025", "哈萨克族谚语", "folk_literature", "provincial", ["17"], "哈萨克族谚语的收集与传承。"),
    ("654025", "那拉提草原转场习俗", "folk_custom", "county", ["17"], "牧民春秋转场的习俗与仪式。"),
    ("654025", "哈萨克族花毡制作技艺", "craftsmanship", "prefecture", ["17"], "擀毡与花毡图案的制作。"),
    ("654025", "哈萨克族铁尔麦", "music", "prefecture", ["17"], "劝喻性质的哈萨克族说唱歌曲。"),
    (
        "321002",
        "扬州漆器髹饰技艺",
        "craftsmanship",
        "national",
        ["01"],
        "点螺、雕漆嵌玉、刻漆等扬州漆器髹饰技艺。",
    ),
    ("321002", "扬州玉雕", "fine_arts", "national", ["01"], "山子雕等扬州玉雕技艺。"),
    ("321002", "扬州剪纸", "fine_arts", "national", ["01"], "以花卉见长的扬州剪纸。"),
    ("321002", "扬州评话", "quyi", "national", ["01"], "以扬州方言说表的评话。"),
    ("321002", "扬州清曲", "quyi", "national", ["01"], "丝竹伴奏的扬州清曲。"),
    ("321002", "扬剧", "drama", "national", ["01"], "流行于扬州一带的地方戏曲。"),
    ("321002", "扬州弹词", "quyi", "national", ["01"], "以三弦、琵琶伴奏的说唱艺术。"),
    ("321002", "扬州杖头木偶戏", "drama", "national", ["01"], "以杖头操纵木偶的戏剧。"),
    ("321002", "扬派盆景技艺", "fine_arts", "national", ["01"], "扬派盆景的“云片”造型技艺。"),
    ("321002", "雕版印刷技艺", "craftsmanship", "national", ["01"], "扬州广陵古籍刻印的雕版印刷技艺。"),
    ("321002", "古琴艺术（广陵琴派）", "music", "national", ["01"], "广陵琴派的琴曲与演奏。"),
    ("321002", "扬州通草花制作技艺", "craftsmanship", "provincial", ["01"], "以通草制作仿真花卉。"),
    ("321002", "富春茶点制作技艺", "craftsmanship", "provincial", ["01"], "扬州早茶点心的制作。"),
    ("321002", "扬州仿古刺绣", "fine_arts", "provincial", ["01"], "仿书画的扬州刺绣。"),
    ("321002", "扬州古籍修复技艺", "craftsmanship", "prefecture", ["01"], "古籍的修补与装帧。"),
    ("3501", "福州脱胎漆器髹饰技艺", "craftsmanship", "national", ["01"], "以脱胎成型的福州漆器。"),
    ("3501", "寿山石雕", "fine_arts", "national", ["01"], "以寿山石为材的雕刻。"),
    ("3501", "闽剧", "drama", "national", ["01"], "福州方言演唱的地方戏。"),
    ("3505", "泉州南音", "music", "national", ["01"], "古老的乐种南音。"),
    ("3505", "梨园戏", "drama", "national", ["01"], "泉州梨园戏。"),
    ("3505", "泉州提线木偶戏", "drama", "national", ["01"], "以提线操纵的木偶戏。"),
    ("3505", "德化瓷烧制技艺", "craftsmanship", "national", ["01"], "德化白瓷的烧制。"),
    ("3505", "惠安石雕", "fine_arts", "national", ["01"], "惠安石雕技艺。"),
    ("3502", "漆线雕技艺", "craftsmanship", "national", ["01"], "以漆线盘绕装饰的厦门漆线雕。"),
    ("3502", "高甲戏", "drama", "national", ["01"], "闽南地方戏曲。"),
    ("3502", "歌仔戏", "drama", "national", ["01"], "闽南语演唱的戏曲。"),
    ("5403", "藏族唐卡（噶玛嘎孜画派）", "fine_arts", "national", ["04"], "昌都噶玛嘎孜画派唐卡。"),
    ("5403", "昌都锅庄舞", "dance", "national", ["04"], "昌都的锅庄舞。"),
    ("5133", "格萨（斯）尔", "folk_literature", "national", ["04"], "史诗《格萨尔》的说唱。"),
    ("5133", "巴塘弦子舞", "dance", "national", ["04"], "以弦胡伴奏的藏族舞蹈。"),
    ("5132", "羌年", "folk_custom", "national", ["33"], "羌族的新年节庆。"),
    ("5132", "羌笛演奏及制作技艺", "music", "national", ["33"], "双管羌笛的制作与演奏。"),
    ("5134", "彝族火把节", "folk_custom", "national", ["07"], "彝族的火把节。"),
    ("5134", "彝族漆器髹饰技艺", "craftsmanship", "national", ["07"], "黑、红、黄三色的彝族漆器。"),
    ("5134", "彝族克智", "folk_literature", "national", ["07"], "彝族的论辩口头艺术。"),
    ("5101", "蜀锦织造技艺", "craftsmanship", "national", ["01"], "成都蜀锦的织造。"),
    ("5101", "川剧", "drama", "national", ["01"], "四川地方戏曲。"),
    ("5101", "成都漆艺", "craftsmanship", "national", ["01"], "成都的漆器髹饰。"),
    ("4501", "邕剧", "drama", "national", ["01", "08"], "南宁的地方戏曲。"),
    ("4514", "壮族侬垌节", "folk_custom", "national", ["08"], "壮族的侬垌节。"),
    ("4514", "壮族天琴艺术", "music", "national", ["08"], "天琴的弹唱。"),
    ("6504", "维吾尔木卡姆艺术（吐鲁番木卡姆）", "music", "national", ["05"], "吐鲁番木卡姆。"),
    ("6504", "坎儿井开凿技艺", "craftsmanship", "national", ["05"], "吐鲁番坎儿井的开凿。"),
    ("6504", "维吾尔族麦西热甫", "folk_custom", "national", ["05"], "歌舞娱乐的聚会。"),
    ("6523", "回族宴席曲", "music", "national", ["03"], "婚礼宴席上的歌曲。"),
    ("621126", "花儿（二郎山花儿会）", "music", "national", ["01", "03"], "岷县二郎山的花儿会。"),
    ("4331", "土家族织锦技艺", "craftsmanship", "national", ["54"], "土家族西兰卡普的织造。"),
    ("4331", "苗族鼓舞", "dance", "national", ["06"], "湘西苗族鼓舞。"),
    ("43", "湘绣", "fine_arts", "national", ["01"], "湖南刺绣。"),
]

# Works recorded under an item: (kind, title pattern, years ago range)
WORKS = [
    ("song", "{t}·{y}年展演录音", (0, 6)),
    ("dance", "{t}·{y}年汇演录像", (0, 6)),
    ("book", "{t}传承人口述史（第{n}辑）", (1, 10)),
    ("exhibit", "{t}代表作品图集（第{n}辑）", (0, 8)),
    ("craft", "{t}作品·{y}年新作", (0, 4)),
    ("drama", "{t}·{y}年专场演出", (0, 5)),
]
GIVEN = "建国秀英志明海燕文博思远玉兰德华春梅阿依努尔别克"
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱"
KAZAKH = ["阿依古丽", "努尔兰", "古丽娜尔", "叶尔兰", "阿斯哈尔", "哈娜提", "别克", "加娜尔"]
CREDITS = {"654025": "新源县文化馆", "321002": "扬州市非物质文化遗产保护中心"}
TOPICS = [
    "铸牢中华民族共同体意识",
    "中华民族一家亲",
    "民族团结进步创建",
    "国家通用语言文字推广",
    "民族区域自治制度",
    "新时代党的民族政策",
    "各民族交往交流交融的历史",
    "石榴籽一家亲",
    "援疆工作成就",
    "法治宣传进牧区",
]


def clear() -> None:
    refs = [str(pk) for pk in Lecture.objects.filter(is_demo=True).values_list("pk", flat=True)]
    Activity.objects.filter(source_kind=lectures.SOURCE_KIND, source_ref__in=refs).delete()
    LectureSeries.objects.filter(is_demo=True).delete()
    Enrollment.objects.filter(is_demo=True).delete()
    Course.objects.filter(is_demo=True).delete()
    Exhibition.objects.filter(is_demo=True).delete()
    Item.objects.filter(is_demo=True).delete()


def _png(rng: random.Random) -> bytes:
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (480, 320), (rng.randint(120, 230), rng.randint(60, 160), rng.randint(40, 120)))
    draw = ImageDraw.Draw(image)
    for _ in range(6):
        x, y = rng.randint(0, 400), rng.randint(0, 260)
        draw.ellipse(
            (x, y, x + 80, y + 60), fill=(rng.randint(0, 255), rng.randint(0, 255), rng.randint(0, 255))
        )
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def _staff_for(code: str) -> User | None:
    admin = User.objects.filter(username="admin").first()
    for login, prefix in (("xinyuan", "654025"), ("yangzhou", "3210")):
        if code.startswith(prefix):
            return User.objects.filter(username=login).first() or admin
    return admin


def _person(rng: random.Random, groups: list[str]) -> str:
    if "17" in groups:
        return rng.choice(KAZAKH)
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(2))


def build(builder: Any) -> None:
    rng = random.Random(18)  # noqa: S311 - demo data
    today = clock.today()
    made: list[Item] = []
    works: list[tuple[Item, list[EthnicGroup]]] = []
    places = lru_cache(maxsize=None)(services.region_places)
    for code, title, category, level, groups, summary in HERITAGE:
        region = Region.objects.filter(code=code).first()
        actor = _staff_for(code)
        if region is None or actor is None:
            continue
        credit = CREDITS.get(code, f"{region.name}非物质文化遗产保护中心")
        visibility = "public" if rng.random() < 0.85 else rng.choice(["internal", "draft"])
        item = services.item_save(
            actor=actor,
            data={
                "kind": "heritage",
                "title": title,
                "category": category,
                "level": level,
                "region": region,
                "summary": summary,
                "licence": rng.choice(["cc-by-nc-4.0", "cc-by-4.0", "all-rights-reserved"]),
                "credit": credit,
                "visibility": visibility,
                "internal_note": "申报材料待补充照片" if visibility != "public" else "",
                "contact_name": _person(rng, groups),
                "contact_phone": f"139{rng.randint(10000000, 99999999)}",
            },
            ethnic_groups=EthnicGroup.objects.filter(code__in=groups),
        )
        if level in ("national", "provincial"):
            services.bearer_add(
                actor=actor,
                item=item,
                name=_person(rng, groups),
                level=level,
                recognised_year=rng.randint(2008, 2024),
            )
        made.append(item)
        group_objects = list(item.ethnic_groups.all())
        # Works recorded under the item (recordings, books, albums, new pieces): written in bulk with their search
        # columns, as the service would compute them, so that the demo stays fast.
        for _ in range(rng.randint(3, 5)):
            kind, pattern, (low, high) = rng.choice(WORKS)
            year = today.year - rng.randint(low, high)
            work = Item(
                kind=kind,
                title=pattern.format(t=title, y=year, n=rng.randint(1, 5))[:120],
                category=category,
                level="",
                region=region,
                summary=f"{summary}（{year}年记录）",
                creators=_person(rng, groups),
                created_from=dt.date(year, rng.randint(1, 12), rng.randint(1, 28)),
                licence="cc-by-nc-4.0",
                credit=credit,
                visibility="public" if rng.random() < 0.8 else "internal",
                created_by=actor,
                is_demo=True,
            )
            others = [
                work.summary,
                work.creators,
                str(work.get_kind_display()),
                str(work.get_category_display()),
            ]
            others += [g.name for g in group_objects]
            work.search_title, work.search_text = search.index_texts(
                title=work.title, others=others, places=places(region.code)
            )
            works.append((work, group_objects))
    created = Item.objects.bulk_create([w for w, _groups in works])
    through = Item.ethnic_groups.through
    through.objects.bulk_create(
        through(item_id=w.pk, ethnicgroup_id=g.pk)
        for w, (_w, groups) in zip(created, works, strict=True)
        for g in groups
    )
    Media.objects.bulk_create(
        Media(
            item=w,
            kind="audio" if w.kind == "song" else "video",
            url=f"https://media.example.cn/culture/{w.pk}",
            caption=w.title,
            order=1,
        )
        for w in created
        if w.kind in ("song", "dance", "drama")
    )
    made.extend(created)
    # Photos for the first heritage items of each demo side (re-encoded like any upload).
    for item in [i for i in made if i.kind == "heritage"][:12]:
        actor = _staff_for(item.region_id)
        upload = SimpleUploadedFile("photo.png", _png(rng), content_type="image/png")
        services.media_add(
            actor=actor, item=item, kind="image", upload=upload, caption=f"{item.title}（示例图片）"
        )
    Item.objects.filter(pk__in=[i.pk for i in made]).update(is_demo=True)
    _exhibitions(rng, made, today)
    _lectures(rng, today)
    _courses(rng)


def _exhibitions(rng: random.Random, made: list[Item], today: dt.date) -> None:
    xinyuan = User.objects.filter(username="xinyuan").first()
    yangzhou = User.objects.filter(username="yangzhou").first()
    home = Region.objects.filter(code="654025").first()
    if xinyuan is None or home is None:
        return
    touring = services.exhibition_save(
        actor=xinyuan,
        data={
            "title": "流动博物馆·草原上的石榴籽",
            "description": "新源县哈萨克族非遗与扬州传统工艺联合巡展，走进乡镇、学校和社区。",
            "region": home,
            "is_exhibition": True,
            "is_touring": True,
            "visibility": "public",
            "licence": "cc-by-nc-4.0",
            "credit": "新源县博物馆",
        },
        items=[
            i for i in made if i.region_id in ("654025", "321002") and i.kind == "heritage" and i.is_public
        ],
    )
    towns = list(Region.objects.filter(parent_id="654025", level="township").order_by("code")[:6])
    start = dt.date(today.year, 3, 1)
    for n, town in enumerate(towns):
        opens = start + dt.timedelta(days=35 * n)
        if opens > today:
            break
        services.venue_add(
            actor=xinyuan,
            exhibition=touring,
            data={
                "name": f"{town.name}文化站",
                "region": town,
                "opens_on": opens,
                "closes_on": opens + dt.timedelta(days=20),
                "visitors": rng.randint(800, 4000),
            },
        )
    if yangzhou is not None and (yz := Region.objects.filter(code="321002").first()) is not None:
        services.exhibition_save(
            actor=yangzhou,
            data={
                "title": "扬州传统工艺精品",
                "description": "扬州漆器、玉雕、剪纸代表作品。",
                "region": yz,
                "is_exhibition": False,
                "visibility": "public",
                "licence": "cc-by-nc-4.0",
                "credit": "扬州市非物质文化遗产保护中心",
            },
            items=[i for i in made if i.region_id == "321002" and i.is_public][:30],
        )
    Exhibition.objects.filter(title__in=["流动博物馆·草原上的石榴籽", "扬州传统工艺精品"]).update(
        is_demo=True
    )


def _lectures(rng: random.Random, today: dt.date) -> None:
    xinyuan = User.objects.filter(username="xinyuan").first()
    yangzhou = User.objects.filter(username="yangzhou").first()
    home = Region.objects.filter(code="654025").first()
    if xinyuan is None or home is None:
        return
    towns = list(Region.objects.filter(parent_id="654025", level="township").order_by("code")) or [home]
    weekly = lectures.series_save(
        actor=xinyuan,
        data={"title": "视频大宣讲（每周）", "description": "每周一期，线下宣讲并同步直播。", "region": home},
    )
    day = dt.date(today.year, 1, 5)
    week = 0
    while day <= today:
        week += 1
        town = towns[week % len(towns)]
        lectures.lecture_save(
            actor=xinyuan,
            series=weekly,
            data={
                "topic": f"第{week}期：{rng.choice(TOPICS)}",
                "speaker": f"新源县宣讲团 {_person(rng, [])}",
                "held_on": day,
                "region": town,
                "venue": f"{town.name}新时代文明实践站",
                "stream_url": f"https://live.example.cn/xinyuan/{day:%Y%m%d}",
                "replay_url": f"https://replay.example.cn/xinyuan/{day:%Y%m%d}",
                "attendance": rng.randint(60, 300),
                "views": rng.randint(800, 12000),
                "plan": "embedding" if week % 4 == 0 else "",
            },
        )
        day += dt.timedelta(days=7)
    if yangzhou is not None and (yz := Region.objects.filter(code="3210").first()) is not None:
        aid = lectures.series_save(
            actor=yangzhou,
            data={
                "title": "扬州援疆宣讲团进牧区",
                "description": "扬州援疆干部在新源乡镇宣讲。",
                "region": yz,
            },
        )
        # 扬州 staff record sessions held in 新源: their jurisdiction covers the series, the venue is the host's.
        for n in range(10):
            held = dt.date(today.year, 2 + n, 15) if 2 + n <= 12 else today
            if held > today:
                break
            town = towns[n % len(towns)]
            lectures.lecture_save(
                actor=yangzhou,
                series=aid,
                data={
                    "topic": rng.choice(TOPICS),
                    "speaker": f"扬州援疆干部 {_person(rng, [])}",
                    "held_on": held,
                    "region": town,
                    "venue": f"{town.name}牧民夜校",
                    "replay_url": f"https://replay.example.cn/yangzhou/{n + 1}",
                    "attendance": rng.randint(40, 200),
                    "views": 0,
                    "plan": "embedding",
                },
            )
    series = LectureSeries.objects.filter(
        title__in=["视频大宣讲（每周）", "扬州援疆宣讲团进牧区"], is_demo=False
    )
    Lecture.objects.filter(series__in=series).update(is_demo=True)
    series.update(is_demo=True)
    refs = [str(pk) for pk in Lecture.objects.filter(is_demo=True).values_list("pk", flat=True)]
    Activity.objects.filter(source_kind=lectures.SOURCE_KIND, source_ref__in=refs).update(is_demo=True)


def _courses(rng: random.Random) -> None:
    xinyuan = User.objects.filter(username="xinyuan").first()
    home = Region.objects.filter(code="654025").first()
    if xinyuan is None or home is None:
        return
    course = courses.course_save(
        actor=xinyuan,
        data={
            "title": "国家通用语言文字·日常会话",
            "description": "面向牧民和务工人员的国家通用语言入门课程（红石榴课堂）。",
            "region": home,
            "is_published": True,
        },
    )
    lessons = [
        (
            "问候与自我介绍",
            "你好！我叫阿依古丽。我是新源县人。",
            "“你好”用在什么时候？",
            "见面打招呼\n告别的时候\n吃饭的时候",
            1,
        ),
        ("数字与时间", "一、二、三……现在是上午九点。", "“九点”是几点？", "7点\n9点\n10点", 2),
        ("在医院", "我头疼，想挂个号。", "去医院看病先要做什么？", "挂号\n买票\n点菜", 1),
        ("在工地", "请戴好安全帽。", "“安全帽”要怎么做？", "戴好\n放在家里\n送人", 1),
        (
            "坐车出行",
            "请问去那拉提的车几点出发？",
            "问发车时间应该说？",
            "车几点出发\n车是什么颜色\n车多少钱",
            1,
        ),
        ("找工作", "我会开车，也会做饭。", "介绍自己会做什么用哪个词？", "会\n去\n吃", 1),
    ]
    for n, (title, text, prompt, choices, answer) in enumerate(lessons, start=1):
        lesson = courses.lesson_save(
            actor=xinyuan,
            course=course,
            data={"title": title, "text": text, "video_url": f"https://media.example.cn/hongshiliu/{n}"},
        )
        courses.question_add(actor=xinyuan, lesson=lesson, prompt=prompt, choices=choices, answer=answer)
    Course.objects.filter(pk=course.pk).update(is_demo=True)
    learner = User.objects.filter(username="resident").first()
    if learner is not None:
        enrollment = courses.enroll(actor=learner, course=course)
        for lesson in list(course.lessons.all())[:3]:
            question = lesson.questions.get()
            courses.lesson_submit(
                actor=learner, enrollment=enrollment, lesson=lesson, answers={question.pk: question.answer}
            )
        Enrollment.objects.filter(pk=enrollment.pk).update(is_demo=True)
