from django.db import migrations

from commonground.interests.taxonomy import load_taxonomy


def load(apps, schema_editor):
    load_taxonomy(apps.get_model("interests", "Interest"), apps.get_model("interests", "InterestAlias"))


class Migration(migrations.Migration):
    dependencies = [("interests", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
