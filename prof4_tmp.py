import os, time
os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
import django; django.setup()
from django.db import transaction, connection
from django.db.models import Q
from django.utils import timezone
from bench import timescales as bt
from opencsc.core.models import Event
from opencsc.timescales import selectors, reads
from opencsc.timescales.core import RULES
class R(Exception): pass
try:
    with transaction.atomic():
        built = bt._build(timezone.localdate())
        today = timezone.localdate()
        eff = selectors.effective_rules({}, [r for r in RULES if r.end_event in selectors.recorded_event_names()])
        full, latest, open_ = reads.clock_reads(eff.values(), today)
        base = Event.objects.exclude(clock="")
        wanted = Q(kind__in=sorted(full)) | (Q(kind__in=sorted(open_)) & (Q(settled_on__isnull=True) | Q(settled_on__gt=today)))
        for label, qs in (("ordered", base.filter(wanted).order_by(*reads._ORDER).values_list(*reads._COLUMNS)),
                          ("unordered", base.filter(wanted).order_by().values_list(*reads._COLUMNS)),
                          ("latest", base.filter(kind__in=sorted(latest), occurred_on__lte=today).order_by().values("kind", "child_id", "clock", "scope").annotate(latest=django.db.models.Max("occurred_on")).values_list("kind", "child_id", "clock", "scope", "latest").order_by("kind", "child_id", "latest"))):
            for _ in range(2):
                t = time.perf_counter(); n = sum(1 for _ in reads._raw(qs)); d = time.perf_counter() - t
            print(label, n, round(d, 3))
            sql, params = qs.query.sql_with_params()
            with connection.cursor() as c:
                c.execute("EXPLAIN QUERY PLAN " + sql, params); print(c.fetchall())
        raise R
except R:
    pass
