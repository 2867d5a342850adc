import os, cProfile, pstats, time
os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
import django; django.setup()
from django.db import transaction
from django.utils import timezone
from bench import timescales as bt
from opencsc.people.access import children_for
from opencsc.timescales import selectors, reads
class R(Exception): pass
try:
    with transaction.atomic():
        built = bt._build(timezone.localdate())
        everyone = children_for(built["manager"])
        selectors.due_items(children=everyone)
        t=time.perf_counter(); selectors.due_items(children=everyone); print("due", time.perf_counter()-t)
        t=time.perf_counter(); ids = selectors._ids(everyone.order_by()); print("ids", time.perf_counter()-t, len(ids))
        from opencsc.timescales.core import RULES
        eff = selectors.effective_rules({}, [r for r in RULES if r.end_event in selectors.recorded_event_names()])
        t=time.perf_counter(); n=sum(1 for _ in reads.clock_facts(None, rules=eff.values(), on_or_before=timezone.localdate(), only=frozenset(ids))); print("facts", time.perf_counter()-t, n)
        t=time.perf_counter(); g=selectors._events_by_name(everyone, rules=eff.values(), on_or_before=timezone.localdate()); print("by name", time.perf_counter()-t)
        pr = cProfile.Profile(); pr.enable(); selectors.due_items(children=everyone); pr.disable()
        pstats.Stats(pr).sort_stats("tottime").print_stats(20)
        raise R
except R:
    pass
