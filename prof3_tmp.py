import os, time, collections
os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
import django; django.setup()
from django.db import transaction
from django.utils import timezone
from bench import timescales as bt
from opencsc.people.access import children_for
from opencsc.timescales import selectors, reads
from opencsc.timescales.core import RULES
class R(Exception): pass
try:
    with transaction.atomic():
        built = bt._build(timezone.localdate())
        eff = selectors.effective_rules({}, [r for r in RULES if r.end_event in selectors.recorded_event_names()])
        full, latest, open_ = reads.clock_reads(eff.values(), timezone.localdate())
        print("full", sorted(full)); print("latest", sorted(latest)); print("open", sorted(open_))
        c = collections.Counter()
        kinds = collections.Counter()
        for order, child, name, on, scope in reads.clock_facts(None, rules=eff.values(), on_or_before=timezone.localdate()):
            c[name]+=1
        print(c.most_common(40))
        raise R
except R:
    pass
