"""Children, the adults around them, and the professionals involved.

Validation lives in validators.py and services.py; models hold shape only.
"""

from django.conf import settings
from django.db import models

from opencsc.accounts.roles import Agency
from opencsc.codes import DISABILITY, ETHNICITY, SEX


class Child(models.Model):
    la_child_id = models.CharField("LA child ID", max_length=20, unique=True)
    nhs_number = models.CharField("NHS number", max_length=10, null=True, blank=True, unique=True)
    upn = models.CharField("unique pupil number (UPN)", max_length=13, null=True, blank=True, unique=True)
    first_name = models.CharField(max_length=100)
    middle_names = models.CharField(max_length=100, blank=True)
    last_name = models.CharField(max_length=100)
    preferred_name = models.CharField(max_length=100, blank=True)
    date_of_birth = models.DateField(null=True, blank=True)
    expected_date_of_birth = models.DateField(
        null=True, blank=True, help_text="For an unborn child: the expected date of birth."
    )
    date_of_death = models.DateField(null=True, blank=True)
    sex = models.CharField(max_length=1, choices=SEX.choices, default="U")
    gender_identity = models.CharField(max_length=100, blank=True)
    ethnicity = models.CharField(max_length=4, choices=ETHNICITY.choices, default="NOBT")
    disabilities = models.JSONField(default=list, blank=True, help_text="DfE disability codes.")
    first_language = models.CharField(max_length=60, blank=True)
    interpreter_needed = models.BooleanField(default=False)
    religion = models.CharField(max_length=60, blank=True)
    is_uasc = models.BooleanField("unaccompanied asylum-seeking child", default=False)
    uasc_ceased = models.DateField(null=True, blank=True)
    school_name = models.CharField(max_length=150, blank=True)
    school_urn = models.CharField("school URN", max_length=8, blank=True)

    is_restricted = models.BooleanField(
        default=False, help_text="Visible only to named users; absent from searches, lists and exports."
    )
    restriction_reason = models.CharField(max_length=200, blank=True)
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="merged_from"
    )

    # Search keys, kept by services.child_refresh_search_keys().
    search_first = models.CharField(max_length=100, blank=True, db_index=True)
    search_last = models.CharField(max_length=100, blank=True, db_index=True)
    phonetic_first = models.CharField(max_length=20, blank=True, db_index=True)
    phonetic_last = models.CharField(max_length=20, blank=True, db_index=True)

    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["last_name", "first_name", "id"]
        verbose_name_plural = "children"
        indexes = [
            models.Index(fields=["phonetic_last", "phonetic_first"]),
            models.Index(fields=["search_last", "search_first"]),
            models.Index(fields=["date_of_birth"]),
        ]

    def __str__(self):
        return self.full_name

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.first_name, self.last_name) if p)

    @property
    def is_unborn(self) -> bool:
        return self.date_of_birth is None and self.expected_date_of_birth is not None

    @property
    def disability_labels(self) -> list[str]:
        return [DISABILITY.label(code) for code in self.disabilities]


class ChildAlias(models.Model):
    class Kind(models.TextChoices):
        PREVIOUS = "previous", "Previous name"
        ALSO_KNOWN_AS = "aka", "Also known as"
        SPELLING = "spelling", "Other spelling"

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="aliases")
    first_name = models.CharField(max_length=100, blank=True)
    last_name = models.CharField(max_length=100, blank=True)
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.ALSO_KNOWN_AS)
    search_first = models.CharField(max_length=100, blank=True, db_index=True)
    search_last = models.CharField(max_length=100, blank=True, db_index=True)
    phonetic_first = models.CharField(max_length=20, blank=True, db_index=True)
    phonetic_last = models.CharField(max_length=20, blank=True, db_index=True)

    def __str__(self):
        return f"{self.first_name} {self.last_name}".strip()


class Address(models.Model):
    """One address in a child's address history."""

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="addresses")
    line_1 = models.CharField(max_length=120)
    line_2 = models.CharField(max_length=120, blank=True)
    town = models.CharField(max_length=80, blank=True)
    postcode = models.CharField(max_length=8, db_index=True)
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-start_date", "-id"]
        verbose_name_plural = "addresses"

    def __str__(self):
        return ", ".join(p for p in (self.line_1, self.line_2, self.town, self.postcode) if p)


class Person(models.Model):
    """An adult (or another child outside the system) in the child's network."""

    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    date_of_birth = models.DateField(null=True, blank=True)
    sex = models.CharField(max_length=1, choices=SEX.choices, default="U")
    phone = models.CharField(max_length=30, blank=True)
    address = models.CharField(max_length=250, blank=True)
    postcode = models.CharField(max_length=8, blank=True, db_index=True)
    mappa = models.BooleanField("MAPPA", default=False, help_text="Managed under MAPPA arrangements.")
    marac = models.BooleanField("MARAC", default=False, help_text="Discussed at MARAC.")
    poses_risk = models.BooleanField("poses a risk to children", default=False)
    # Search keys, as on Child (people.names.search_keys), for the duplicate check (selectors.possible_people).
    search_first = models.CharField(max_length=100, blank=True, db_index=True)
    search_last = models.CharField(max_length=100, blank=True, db_index=True)
    phonetic_first = models.CharField(max_length=20, blank=True, db_index=True)
    phonetic_last = models.CharField(max_length=20, blank=True, db_index=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["last_name", "first_name", "id"]
        verbose_name_plural = "people"

    def __str__(self):
        return f"{self.first_name} {self.last_name}"


class Relationship(models.Model):
    class Kind(models.TextChoices):
        MOTHER = "mother", "Mother"
        FATHER = "father", "Father"
        STEP_MOTHER = "step_mother", "Stepmother"
        STEP_FATHER = "step_father", "Stepfather"
        PARENTS_PARTNER = "parents_partner", "Parent's partner"
        GRANDPARENT = "grandparent", "Grandparent"
        AUNT_UNCLE = "aunt_uncle", "Aunt or uncle"
        SIBLING = "sibling", "Sibling"
        HALF_SIBLING = "half_sibling", "Half-sibling"
        HOUSEHOLD_MEMBER = "household_member", "Household member"
        FRIEND = "friend", "Family friend"
        CARER = "carer", "Carer"
        OTHER = "other", "Other"

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="relationships")
    person = models.ForeignKey(Person, null=True, blank=True, on_delete=models.CASCADE, related_name="relationships")
    related_child = models.ForeignKey(
        Child, null=True, blank=True, on_delete=models.CASCADE, related_name="+",
        help_text="A sibling or other child who has a record here.",
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    lives_with_child = models.BooleanField(default=False)
    parental_responsibility = models.BooleanField(default=False)
    lives_elsewhere = models.BooleanField(default=False, help_text="e.g. a father living elsewhere.")
    notes = models.CharField(max_length=250, blank=True)
    start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["kind", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(person__isnull=False, related_child__isnull=True))
                | (models.Q(person__isnull=True, related_child__isnull=False)),
                name="relationship_one_party",
            )
        ]


class MatchCheck(models.Model):
    """What a user was shown of the possible matches of a child or person they were adding, and what they
    chose: an existing record, or a new one after confirming none of the matches is them (issue 19).

    `shown` lists the matches they could see ({"kind": "child" or "person", "id", "label"}); of a match in a
    record they may not see only `hidden` is kept. Written by services.match_check_record, with an audit event.
    """

    class Subject(models.TextChoices):
        CHILD = "child", "A new child"
        NETWORK = "network", "A person in a child's family network"
        ADOPTER = "adopter", "An adopter"

    subject = models.CharField(max_length=10, choices=Subject.choices)
    first_name = models.CharField("first name typed", max_length=100)
    last_name = models.CharField("last name typed", max_length=100)
    date_of_birth = models.DateField("date of birth typed", null=True, blank=True)
    shown = models.JSONField(default=list, blank=True)
    hidden = models.BooleanField("a possible match in a record the user may not see", default=False)
    chose_existing = models.BooleanField(default=False)
    child = models.ForeignKey(
        Child, null=True, blank=True, on_delete=models.CASCADE, related_name="match_checks",
        help_text="The child whose record this is on: the new or chosen child, or the child whose network it is.",
    )
    person = models.ForeignKey(Person, null=True, blank=True, on_delete=models.CASCADE, related_name="match_checks",
                               help_text="The person added: the one chosen, or the new one.")
    related_child = models.ForeignKey(Child, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                                      help_text="A child with a record here chosen for a family network.")
    relationship = models.ForeignKey("Relationship", null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="match_checks")
    made_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    made_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-made_at", "-id"]
        verbose_name = "duplicate check"

    def __str__(self):
        return f"Duplicate check for {self.first_name} {self.last_name}"

    @property
    def summary(self) -> str:
        """In words: what was shown and what was chosen."""
        labels = [m["label"] for m in self.shown]
        listed = ", ".join(labels) if labels else ""
        if self.hidden:
            listed = f"{listed} and a record they could not see" if listed else "a record they could not see"
        chosen = "chose the existing record" if self.chose_existing else "confirmed none of these is them"
        return f"Possible matches shown: {listed or 'none'}; {chosen}"


class Organisation(models.Model):
    """A partner agency or provider: a police force, a school, a GP practice, a health trust."""

    name = models.CharField(max_length=150, unique=True)
    agency = models.CharField(max_length=16, choices=Agency.choices + [("other", "Other")], default="other")
    phone = models.CharField(max_length=30, blank=True)
    email = models.EmailField(blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class Professional(models.Model):
    name = models.CharField(max_length=150)
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="professionals")
    role = models.CharField(max_length=100, blank=True)
    phone = models.CharField(max_length=30, blank=True)
    email = models.EmailField(blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return f"{self.name} ({self.organisation})"


class Involvement(models.Model):
    """A professional involved with a child (GP, health visitor, teacher, police officer…)."""

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="involvements")
    professional = models.ForeignKey(Professional, on_delete=models.PROTECT, related_name="involvements")
    role = models.CharField(max_length=100)
    start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)


class RestrictedAccessGrant(models.Model):
    """A named user who may see a restricted child's record."""

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="access_grants")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="access_grants")
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    granted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["child", "user"], name="one_grant_per_user")]


class PartnerShare(models.Model):
    """What a partner agency may see of a child: the record summary, while the share is open."""

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="partner_shares")
    agency = models.CharField(max_length=16, choices=Agency.choices)
    reason = models.CharField(max_length=250)
    shared_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    shared_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        indexes = [models.Index(fields=["agency", "child"])]
