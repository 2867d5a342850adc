"""The default record-keeping periods (rules.DEFAULTS as they were when this was written)."""

from django.db import migrations

DEFAULTS = [{'record_class': 'adoption',
  'name': 'Adoption case records',
  'runs_from': 'adoption_order',
  'years': 100,
  'minimum_years': 100,
  'after_death_years': None,
  'minimum_after_death_years': None,
  'is_statutory': True,
  'source': "An adoption agency must keep a child's adoption case record for at least 100 years from the "
            'date of the adoption order (the Disclosure of Adoption Information (Post-Commencement '
            'Adoptions) Regulations 2005, regulation 6, with the Adoption Agencies Regulations 2005; IRMS '
            'retention guidelines for local authorities).'},
 {'record_class': 'looked_after',
  'name': 'Records of children looked after',
  'runs_from': 'birth',
  'years': 75,
  'minimum_years': 75,
  'after_death_years': 15,
  'minimum_after_death_years': 15,
  'is_statutory': True,
  'source': "A child's case record while looked after must be kept until their 75th birthday or, if the "
            'child dies before they are 18, for 15 years from the date of death (the Care Planning, '
            "Placement and Case Review (England) Regulations 2010, regulation 50; the Children's Homes "
            "(England) Regulations 2015 for children's homes' records; IRMS retention guidelines for local "
            'authorities).'},
 {'record_class': 'other',
  'name': "Other children's records",
  'runs_from': 'birth',
  'years': 25,
  'minimum_years': 18,
  'after_death_years': None,
  'minimum_after_death_years': None,
  'is_statutory': False,
  'source': 'Local policy: there is no statutory period for the records of children in need, on child '
            "protection plans or helped early who were never looked after or adopted. The sector's common "
            "practice (IRMS retention guidelines for local authorities) is to keep them until the child's "
            '25th birthday. The authority may change this period, but never below the 18th birthday.'}]


def load(apps, schema_editor):
    RetentionRule = apps.get_model("retention", "RetentionRule")
    for row in DEFAULTS:
        RetentionRule.objects.get_or_create(record_class=row["record_class"], defaults=row)


def unload(apps, schema_editor):
    apps.get_model("retention", "RetentionRule").objects.filter(
        record_class__in=[row["record_class"] for row in DEFAULTS], updated_by__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("retention", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
