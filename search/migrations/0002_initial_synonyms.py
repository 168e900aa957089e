from django.db import migrations

# A starting list; editors maintain it in the admin («Synonym groups»).
GROUPS = [
    (
        "ООН\nОрганизация Объединённых Наций\nUN\nUnited Nations\nBMT\n"
        "Birləşmiş Millətlər Təşkilatı",
        "United Nations",
    ),
    ("ИКТ\nинформационно-коммуникационные технологии\nICT\nİKT", "ICT"),
    ("АПА\nAPA", "the agency APA"),
    ("СГБ\nСлужба государственной безопасности\nDTX", "State Security Service"),
]


def add_groups(apps, schema_editor):
    SynonymGroup = apps.get_model("search", "SynonymGroup")
    for terms, note in GROUPS:
        SynonymGroup.objects.get_or_create(terms=terms, defaults={"note": note})


def remove_groups(apps, schema_editor):
    SynonymGroup = apps.get_model("search", "SynonymGroup")
    SynonymGroup.objects.filter(terms__in=[terms for terms, _ in GROUPS]).delete()


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]
    operations = [migrations.RunPython(add_groups, remove_groups)]
