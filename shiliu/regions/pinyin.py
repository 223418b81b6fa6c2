"""Pinyin for place names.

pypinyin segments a whole string into words, so 重庆市长寿区 comes out as "zhang shou" (it matches 市长,
"mayor"). Each division name is therefore converted on its own, and a phrase list fixes polyphonic characters
whose place-name reading differs from the common word (莘县 is Xin, not Shen; 洪洞 is Hong tong).
"""

from __future__ import annotations

from functools import lru_cache

from pypinyin import Style, lazy_pinyin

# Readings of polyphonic characters in place names, as fixed by the State Council's gazetteers.
# Longest match wins; each entry lists one syllable per character.
PLACE_PHRASES: dict[str, tuple[str, ...]] = {
    "重庆": ("chong", "qing"),
    "长寿": ("chang", "shou"),
    "厦门": ("xia", "men"),
    "六安": ("lu", "an"),
    "六合": ("lu", "he"),
    "蚌埠": ("beng", "bu"),
    "莘县": ("xin", "xian"),
    "洪洞": ("hong", "tong"),
    "铅山": ("yan", "shan"),
    "蔚县": ("yu", "xian"),
    "乐亭": ("lao", "ting"),
    "番禺": ("pan", "yu"),
    "东阿": ("dong", "e"),
    "大埔": ("da", "bu"),
    "单县": ("shan", "xian"),
    "浚县": ("xun", "xian"),
    "荥阳": ("xing", "yang"),
    "荥经": ("ying", "jing"),
    "繁峙": ("fan", "shi"),
    "乐清": ("yue", "qing"),
    "天台": ("tian", "tai"),
    "台州": ("tai", "zhou"),
    "长汀": ("chang", "ting"),
    "长乐": ("chang", "le"),
    "长沙": ("chang", "sha"),
    "长春": ("chang", "chun"),
    "长治": ("chang", "zhi"),
    "长安": ("chang", "an"),
    "长宁": ("chang", "ning"),
    "阿坝": ("a", "ba"),
    "行唐": ("xing", "tang"),
    "曲阜": ("qu", "fu"),
    "曲靖": ("qu", "jing"),
    "会昌": ("hui", "chang"),
    "会理": ("hui", "li"),
    "会泽": ("hui", "ze"),
    "朝阳": ("chao", "yang"),
    "朝天": ("chao", "tian"),
    "大宁": ("da", "ning"),
    "尉氏": ("wei", "shi"),
    "柞水": ("zha", "shui"),
    "筠连": ("jun", "lian"),
    "巴音郭楞": ("ba", "yin", "guo", "leng"),
    "和硕": ("he", "shuo"),
    "和静": ("he", "jing"),
    "和田": ("he", "tian"),
    "都江堰": ("du", "jiang", "yan"),
    "济南": ("ji", "nan"),
    "济宁": ("ji", "ning"),
    "济源": ("ji", "yuan"),
    "石家庄": ("shi", "jia", "zhuang"),
    "平遥": ("ping", "yao"),
    "盱眙": ("xu", "yi"),
    "歙县": ("she", "xian"),
    "枞阳": ("zong", "yang"),
    "涡阳": ("guo", "yang"),
    "亳州": ("bo", "zhou"),
    "解放": ("jie", "fang"),
}
_MAX_PHRASE = max(len(k) for k in PLACE_PHRASES)


def _chunks(name: str) -> list[tuple[str, tuple[str, ...] | None]]:
    """Split a name into runs, each either a known place phrase (with its syllables) or free text."""
    chunks: list[tuple[str, tuple[str, ...] | None]] = []
    free = ""
    i = 0
    while i < len(name):
        for length in range(min(_MAX_PHRASE, len(name) - i), 1, -1):
            piece = name[i : i + length]
            if piece in PLACE_PHRASES:
                if free:
                    chunks.append((free, None))
                    free = ""
                chunks.append((piece, PLACE_PHRASES[piece]))
                i += length
                break
        else:
            free += name[i]
            i += 1
    if free:
        chunks.append((free, None))
    return chunks


@lru_cache(maxsize=65536)
def place_syllables(name: str) -> tuple[str, ...]:
    """Pinyin syllables of one place name (no tones, lower case, non-Chinese characters kept as they are)."""
    syllables: list[str] = []
    for text, known in _chunks(name):
        if known is not None:
            syllables.extend(known)
        else:
            syllables.extend(
                s.lower() for s in lazy_pinyin(text, style=Style.NORMAL, errors="default", v_to_u=False)
            )
    return tuple(s.strip() for s in syllables if s.strip())


def place_pinyin(name: str) -> tuple[str, str]:
    """Return ``(full, initials)`` for a place name, e.g. 新源县 → ("xinyuanxian", "xyx")."""
    syllables = place_syllables(name)
    full = "".join(syllables)
    initials = "".join(s[0] for s in syllables if s)
    return full, initials


def normalise_query(query: str) -> str:
    """Lower-case a pinyin query and drop spaces, apostrophes and hyphens ("Xi'an" → "xian")."""
    return "".join(ch for ch in query.strip().lower() if ch not in " '’-")
