from django.db import migrations

# "网上共上一堂课、网上共上一次班会、网上共搞一次活动": the class meeting joins the lesson already seeded.
TYPES = ["网上共上一次班会"]


def seed(apps, schema_editor):
    ActivityType = apps.get_model("exchanges", "ActivityType")
    for name in TYPES:
        ActivityType.objects.get_or_create(name=name, defaults={"order": 6})


def unseed(apps, schema_editor):
    apps.get_model("exchanges", "ActivityType").objects.filter(name__in=TYPES).delete()


class Migration(migrations.Migration):
    dependencies = [("exchanges", "0005_youth_and_tourism")]
    operations = [migrations.RunPython(seed, unseed)]
