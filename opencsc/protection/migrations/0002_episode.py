
import django.db.models.deletion
from django.db import migrations, models


def _covering(episodes, child_id, day):
    """The child's episode that was open on `day` (the latest such), or None."""
    found = None
    for pk, referral, closure in episodes.get(child_id, ()):
        if referral <= day and (closure is None or closure >= day):
            found = pk
    return found


def link_existing_records(apps, schema_editor):
    """Link records made before this migration to the episode of need open on their date."""
    CINEpisode = apps.get_model("assessment", "CINEpisode")
    StrategyDiscussion = apps.get_model("protection", "StrategyDiscussion")
    Section47 = apps.get_model("protection", "Section47")
    Conference = apps.get_model("protection", "Conference")
    CPPlan = apps.get_model("protection", "CPPlan")
    episodes = {}
    for pk, child_id, referral, closure in CINEpisode.objects.order_by("referral_date", "id").values_list(
        "pk", "child_id", "referral_date", "closure_date"
    ):
        episodes.setdefault(child_id, []).append((pk, referral, closure))
    for pk, child_id, held_on in StrategyDiscussion.objects.values_list("pk", "child_id", "meeting__held_on"):
        StrategyDiscussion.objects.filter(pk=pk).update(episode_id=_covering(episodes, child_id, held_on))
    for pk, episode_id in Section47.objects.values_list("pk", "strategy_discussion__episode_id"):
        Section47.objects.filter(pk=pk).update(episode_id=episode_id)
    for row in Conference.objects.values_list("pk", "child_id", "kind", "meeting__held_on", "section47__episode_id"):
        pk, child_id, kind, held_on, s47_episode = row
        if kind == "initial":
            Conference.objects.filter(pk=pk).update(episode_id=s47_episode)
        elif kind == "transfer_in":
            Conference.objects.filter(pk=pk).update(episode_id=_covering(episodes, child_id, held_on))
    for pk, episode_id in CPPlan.objects.values_list("pk", "conference__episode_id"):
        CPPlan.objects.filter(pk=pk).update(episode_id=episode_id)
    for pk, episode_id in Conference.objects.filter(kind="review").values_list("pk", "cp_plan__episode_id"):
        Conference.objects.filter(pk=pk).update(episode_id=episode_id)


class Migration(migrations.Migration):

    dependencies = [
        ('assessment', '0001_initial'),
        ('protection', '0001_initial'),
    ]

    operations = [
        migrations.AddField(
            model_name='conference',
            name='episode',
            field=models.ForeignKey(blank=True, help_text='The episode of need (CIN census CINdetails) this belongs to', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='cp_conferences', to='assessment.cinepisode'),
        ),
        migrations.AddField(
            model_name='cpplan',
            name='episode',
            field=models.ForeignKey(blank=True, help_text='The episode of need (CIN census CINdetails) this belongs to', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='cp_plans', to='assessment.cinepisode'),
        ),
        migrations.AddField(
            model_name='section47',
            name='episode',
            field=models.ForeignKey(blank=True, help_text='The episode of need (CIN census CINdetails) this belongs to', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='section47s', to='assessment.cinepisode'),
        ),
        migrations.AddField(
            model_name='strategydiscussion',
            name='episode',
            field=models.ForeignKey(blank=True, help_text='The episode of need (CIN census CINdetails) this belongs to', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='strategy_discussions', to='assessment.cinepisode'),
        ),
        migrations.RunPython(link_existing_records, migrations.RunPython.noop),
    ]
