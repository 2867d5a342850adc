import os, time, gc
os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
import django; django.setup()
from django.db import transaction
from django.utils import timezone
from bench import timescales as bt
from opencsc.people.access import children_for
from opencsc.timescales import selectors
class R(Exception): pass
try:
    with transaction.atomic():
        built = bt._build(timezone.localdate())
        everyone = children_for(built["manager"])
        items = selectors.due_items(children=everyone)
        for label in ("kept", "kept", "nogc", "nogc"):
            if label == "nogc": gc.disable()
            t=time.perf_counter(); selectors.due_items(children=everyone); print(label, time.perf_counter()-t, gc.get_count())
            gc.enable()
        raise R
except R:
    pass
