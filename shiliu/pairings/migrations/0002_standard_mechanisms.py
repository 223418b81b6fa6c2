from django.db import migrations

# The seven mechanisms of the Nanning–Chongzuo agreement (2023), offered as a checklist for every agreement.
STANDARD = ["组织协调", "联席会议", "信息共享", "区域联动", "资源共享", "宣传教育", "友好互访"]


def seed(apps, schema_editor):
    Mechanism = apps.get_model("pairings", "Mechanism")
    for order, name in enumerate(STANDARD, start=1):
        Mechanism.objects.update_or_create(name=name, defaults={"is_standard": True, "order": order})


def unseed(apps, schema_editor):
    apps.get_model("pairings", "Mechanism").objects.filter(name__in=STANDARD, is_standard=True).delete()


class Migration(migrations.Migration):
    dependencies = [("pairings", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
