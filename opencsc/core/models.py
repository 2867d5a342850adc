from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone

from .chain import chained

AUDIT_CHAIN_FIELDS = ("actor_id", "at", "action", "content_type_id", "object_id", "object_repr", "child_id",
                      "child_identifier", "changes", "summary")


@chained(*AUDIT_CHAIN_FIELDS, strand="actor_id")
class AuditEvent(models.Model):
    """Who changed what, when, with the old and new values (after Zulip's RealmAuditLog).

    Append-only and hash-chained (core/chain.py): written only through core.audit.audit. The child is
    kept as it was written (no database constraint, nothing cleared or moved when a child is merged or
    deleted), with its LA child ID at the time.
    """

    class Action(models.TextChoices):
        CREATED = "created", "Created"
        UPDATED = "updated", "Updated"
        DELETED = "deleted", "Deleted"
        MERGED = "merged", "Merged"
        SIGNED_IN = "signed_in", "Signed in"
        SIGN_IN_FAILED = "sign_in_failed", "Sign-in failed"
        LOCKED = "locked", "Account locked"
        OTHER = "other", "Other"

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now, db_index=True)
    action = models.CharField(max_length=32, choices=Action.choices)
    content_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.PROTECT)
    object_id = models.CharField(max_length=64, blank=True)
    object_repr = models.CharField(max_length=200, blank=True)
    child = models.ForeignKey(
        "people.Child", null=True, blank=True, on_delete=models.DO_NOTHING, db_constraint=False,
        related_name="audit_events",
    )
    child_identifier = models.CharField(max_length=64, blank=True, help_text="The child's LA child ID then.")
    changes = models.JSONField(default=dict, blank=True, help_text="{field: [old, new]}")
    summary = models.CharField(max_length=300, blank=True)
    row_hash = models.CharField(max_length=64, blank=True, editable=False)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id"]), models.Index(fields=["child", "-at"]),
                   models.Index(fields=["actor", "-id"])]  # the last row of an actor's strand (core/chain.py)

    def __str__(self):
        return f"{self.get_action_display()} {self.object_repr}"


class FormSubmission(models.Model):
    """A one-time form token, claimed by the first POST that carries it.

    Every form that changes something carries a fresh random token (`{% form_token %}`). The first POST
    with it claims this row in the same transaction as the write and records where it was sent on
    (`result_url`); a second POST with the same token (a double click, a resubmit, two requests racing:
    the unique constraint makes the second wait for the first and then fail) writes nothing and is sent
    to the same place. Rows older than a day are removed (FORM_TOKEN_LIFETIME in core.middleware).
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    token = models.CharField(max_length=64)
    path = models.CharField(max_length=300, blank=True)
    result_url = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "token"], name="form_token_once_per_user")]

    def __str__(self):
        return f"Form sent to {self.path}"


class Event(models.Model):
    """One moment in a child's life, as its source record implies it (core/events.py).

    Written only by core.events, from the services, in the same transaction as the source record;
    read by the chronology, the due lists and the indicators. ``kind`` names the registered source and
    ``source_id`` its record: (kind, source_id) finds every event a record implies.
    """

    child = models.ForeignKey("people.Child", on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=40)
    source_id = models.BigIntegerField()
    seq = models.PositiveSmallIntegerField(default=0)
    occurred_on = models.DateField()
    occurred_at = models.DateTimeField(null=True, blank=True)
    recorded_at = models.DateTimeField(null=True, blank=True)
    title = models.CharField(max_length=300, blank=True)
    category = models.CharField(max_length=100, blank=True)
    detail = models.CharField(max_length=600, blank=True)
    url = models.CharField(max_length=300, blank=True)
    significant = models.BooleanField(default=False)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="+")
    scope = models.CharField(max_length=60, blank=True)
    clock = models.CharField(max_length=60, blank=True)
    timed = models.BooleanField(default=False)
    settled_on = models.DateField(null=True, blank=True)
    # A visit to the child: was the child seen, and alone (SEEN...); empty for anything else.
    SEEN, SEEN_ALONE, NOT_SEEN = "seen", "alone", "not_seen"
    SEEN_TEXT = {SEEN: "Child seen, not alone", SEEN_ALONE: "Child seen alone", NOT_SEEN: "Child not seen"}
    seen = models.CharField(max_length=8, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["child", "-occurred_on", "kind", "-source_id", "-seq"], name="event_chronology"),
            models.Index(fields=["kind", "source_id"], name="event_source"),
            # The due lists' reads: a source's clock facts by child (and the latest of each clock, read
            # from this index alone: timescales/reads.py).
            models.Index(fields=["kind", "child", "clock", "scope", "occurred_on"], name="event_clock",
                         condition=~models.Q(clock="")),
            # The child's visits, newest first (casework.selectors.visits_for).
            models.Index(fields=["child", "-occurred_on"], name="event_visit", condition=~models.Q(seen="")),
        ]

    def __str__(self):
        return f"{self.occurred_on.isoformat()} {self.title or self.clock}"

    # The names the chronology's templates read (as the ChronologyItem they replace).
    @property
    def date(self):
        return self.occurred_on

    @property
    def source(self):
        return self.kind

    @property
    def author_name(self) -> str:
        return self.author.display_name if self.author_id else ""

    # A visit's (casework.selectors.visits_for).
    @property
    def is_visit(self) -> bool:
        return bool(self.seen)

    @property
    def child_seen(self) -> bool:
        return self.seen in (self.SEEN, self.SEEN_ALONE)

    @property
    def child_seen_alone(self) -> bool:
        return self.seen == self.SEEN_ALONE

    @property
    def seen_text(self) -> str:
        return self.SEEN_TEXT.get(self.seen, "")
