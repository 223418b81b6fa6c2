from django.db import migrations

# The activity types named in the issue and the reference reports; admins can add more.
TYPES = ["互访考察", "夏令营/冬令营", "研学", "书信手拉手", "网上共上一堂课", "旅游团", "培训班", "文化展演", "体育赛事", "捐赠", "宣讲", "座谈交流"]


def seed(apps, schema_editor):
    ActivityType = apps.get_model("exchanges", "ActivityType")
    for order, name in enumerate(TYPES, start=1):
        ActivityType.objects.update_or_create(name=name, defaults={"order": order})


def unseed(apps, schema_editor):
    apps.get_model("exchanges", "ActivityType").objects.filter(name__in=TYPES).delete()


class Migration(migrations.Migration):
    dependencies = [("exchanges", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
