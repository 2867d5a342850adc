"""Pages for finding and recording children, their addresses and their family network.

Thin views: each child is fetched only through access.child_for(); writes go to services.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from opencsc.accounts.policy import allowed
from opencsc.core.audit import StaleRecordError
from opencsc.core.forms import posted_version, submit

from . import access, policy, selectors, services
from .forms import (
    AddressForm,
    AliasForm,
    ChildCreateForm,
    ChildEditForm,
    FamilyAddForm,
    GrantForm,
    MergeConfirmForm,
    MergePickForm,
    RelationshipEditForm,
    RelationshipEndForm,
    RestrictForm,
    SearchForm,
    ShareForm,
    apply_errors,
)
from .models import ChildAlias, MatchCheck, PartnerShare, RestrictedAccessGrant

PAGE_SIZE = 25

CHILD_FIELDS = [
    "first_name", "middle_names", "last_name", "preferred_name", "date_of_birth", "expected_date_of_birth",
    "sex", "gender_identity", "ethnicity", "disabilities", "first_language", "interpreter_needed", "religion",
    "nhs_number", "upn", "is_uasc", "school_name", "school_urn",
]
EDIT_FIELDS = CHILD_FIELDS + ["la_child_id", "date_of_death", "uasc_ceased"]


def _record_url(child) -> str:
    return reverse("casework:child_record", args=[child.pk])


def _family_url(child) -> str:
    return reverse("people:family", args=[child.pk])


def _child(request, child_id, action):
    return access.child_for(request.user, child_id, request=request, action=action)


def _child_context(request, child, **extra):
    user = request.user
    tabs = [
        ("Details", "people:child_edit", "edit"),
        ("Names", "people:aliases", "edit"),
        ("Addresses", "people:addresses", "edit"),
        ("Family network", "people:family", "edit"),
        ("Partner sharing", "people:sharing", "edit"),
        ("Restriction", "people:restriction", "restrict"),
        ("Merge a duplicate", "people:merge", "merge"),
    ]
    links = []
    for label, name, action in tabs:
        if access.can(user, action, child):
            url = reverse(name, args=[child.pk])
            links.append({"label": label, "url": url, "current": request.path == url})
    return {"child": child, "child_links": links, **extra}


# Find a child -----------------------------------------------------------------------


@require_GET
@allowed(policy.may_search)
def search(request):
    form = SearchForm(request.GET if request.GET else None)
    page_obj = None
    searched = False
    if form.is_bound and form.is_valid() and form.has_criteria():
        searched = True
        results = selectors.child_search(
            user=request.user,
            query=form.cleaned_data["q"],
            date_of_birth=form.cleaned_data["date_of_birth"],
            postcode=form.cleaned_data["postcode"],
        )
        page_obj = Paginator(results, PAGE_SIZE).get_page(request.GET.get("page"))
        postcodes = selectors.current_postcodes([r.child for r in page_obj])
        for result in page_obj:
            result.postcode = postcodes.get(result.child.pk, "")
    return render(request, "people/search.html", {
        "form": form, "page_obj": page_obj, "searched": searched,
    })


# Add a child ---------------------------------------------------------------------------


def _create_values(data) -> dict:
    values = {name: data[name] for name in CHILD_FIELDS}
    values["la_child_id"] = data.get("la_child_id") or ""
    return values


@require_http_methods(["GET", "POST"])
@allowed(policy.may_create_child)
def child_create(request):
    if request.method == "GET":
        return render(request, "people/child_create.html", {"form": ChildCreateForm()})
    form = ChildCreateForm(request.POST)
    if request.POST.get("change") == "1":  # back from the possible-duplicates page, to change the details
        form.is_valid()
        return render(request, "people/child_create.html", {"form": form})
    if form.is_valid():
        data = form.cleaned_data
        matches = selectors.child_matches(
            user=request.user, first_name=data["first_name"], last_name=data["last_name"],
            date_of_birth=data["date_of_birth"], nhs_number=data["nhs_number"], upn=data["upn"],
        )
        if not form.settle_matches(matches):
            return render(request, "people/child_duplicates.html", {
                "form": form,
                "carried": [(k, v) for k in request.POST for v in request.POST.getlist(k)
                            if k not in ("csrfmiddlewaretoken", "match", "matches_shown", "change")],
                "data": data,
            })
        if form.matches and form.chosen:  # the child already has a record: nothing new is made
            existing = form.chosen.record
            services.match_check_record(
                actor=request.user, subject=MatchCheck.Subject.CHILD, first_name=data["first_name"],
                last_name=data["last_name"], date_of_birth=data["date_of_birth"], matches=form.matches,
                chosen=form.chosen, child=existing)
            messages.success(request, f"No new record made: this is {existing.full_name}'s record "
                                      f"({existing.la_child_id})")
            return redirect(_record_url(existing))

    def write(data):
        with transaction.atomic():
            child = services.child_create(actor=request.user, **_create_values(data))
            if form.matches:
                services.match_check_record(
                    actor=request.user, subject=MatchCheck.Subject.CHILD, first_name=data["first_name"],
                    last_name=data["last_name"], date_of_birth=data["date_of_birth"], matches=form.matches,
                    child=child)
        return child

    if done := submit(request, form, write,
                      success=lambda child: f"{child.full_name} added with LA child ID {child.la_child_id}",
                      then=lambda child: reverse("casework:child_record", args=[child.pk])):
        return done
    return render(request, "people/child_create.html", {"form": form})


# Change details ----------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def child_edit(request, child_id):
    child = _child(request, child_id, "edit")
    if request.method == "POST":
        form = ChildEditForm(request.POST)
        if done := submit(request, form,
                          lambda data: services.child_update(actor=request.user, child=child,
                                                             expected_version=data["version"],
                                                             **{name: data[name] for name in EDIT_FIELDS}),
                          success=lambda changes: "Details saved" if changes else "No changes to save",
                          then=_record_url(child)):
            return done
    else:
        initial = {name: getattr(child, name) for name in EDIT_FIELDS}
        initial.update(version=child.version, nhs_number=child.nhs_number or "", upn=child.upn or "")
        form = ChildEditForm(initial=initial)
    return render(request, "people/child_edit.html", _child_context(request, child, form=form))


# Other names ---------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def aliases(request, child_id):
    child = _child(request, child_id, "edit")
    form = AliasForm(request.POST or None)
    if request.method == "POST":
        if request.POST.get("remove"):
            alias = get_object_or_404(ChildAlias, child=child, pk=request.POST["remove"])
            services.alias_remove(actor=request.user, alias=alias)
            messages.success(request, "Name removed")
            return redirect("people:aliases", child.pk)
        if done := submit(request, form, lambda data: services.alias_add(actor=request.user, child=child, **data),
                          success="Name added", then=reverse("people:aliases", args=[child.pk])):
            return done
    return render(request, "people/aliases.html", _child_context(
        request, child, form=form, aliases=child.aliases.order_by("last_name", "first_name", "id")
    ))


# Addresses -------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def addresses(request, child_id):
    child = _child(request, child_id, "edit")
    form = AddressForm(request.POST or None)
    if done := submit(request, form, lambda data: services.address_add(actor=request.user, child=child, **data),
                      success="Address added", then=reverse("people:addresses", args=[child.pk])):
        return done
    page_obj = Paginator(selectors.addresses_for(child), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "people/addresses.html", _child_context(request, child, form=form, page_obj=page_obj))


# Family network -----------------------------------------------------------------------------------


@require_GET
def family(request, child_id):
    child = _child(request, child_id, "edit")
    page_obj = Paginator(selectors.family_for(user=request.user, child=child), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "people/family.html", _child_context(request, child, page_obj=page_obj))


RELATIONSHIP_KEYS = ("kind", "lives_with_child", "parental_responsibility", "lives_elsewhere", "notes", "start_date")
PERSON_FLAG_KEYS = ("phone", "address", "postcode", "mappa", "marac", "poses_risk")


@require_http_methods(["GET", "POST"])
def family_add(request, child_id):
    child = _child(request, child_id, "edit")
    form = FamilyAddForm(request.POST or None)
    settled = True
    if request.method == "POST" and form.is_valid() and not form.cleaned_data["related_la_child_id"]:
        data = form.cleaned_data  # someone without a record named: are they already known? (issue 19)
        settled = form.settle_matches(selectors.possible_people(
            user=request.user, first_name=data["first_name"], last_name=data["last_name"],
            date_of_birth=data["date_of_birth"], exclude_child=child))

    def write(data):
        related_child = None
        person = None
        chosen = form.matches and form.chosen
        if data["related_la_child_id"]:
            related_child = access.children_for(request.user).filter(
                la_child_id=data["related_la_child_id"].strip().upper()
            ).exclude(pk=child.pk).first()
            if related_child is None:
                raise ValidationError({"related_la_child_id": ["There is no other child with this LA child ID"]})
        elif chosen and chosen.kind == "child":
            related_child = chosen.record
        elif chosen:
            person = chosen.record
        with transaction.atomic():
            if person is not None:
                services.person_fill_in(actor=request.user, person=person, child=child,
                                        **{k: data[k] for k in PERSON_FLAG_KEYS})
            elif related_child is None:
                person = services.person_create(
                    actor=request.user, child=child, first_name=data["first_name"],
                    last_name=data["last_name"], date_of_birth=data["date_of_birth"],
                    sex=data["sex"] or "U", **{k: data[k] for k in PERSON_FLAG_KEYS},
                )
            relationship = services.relationship_add(
                actor=request.user, child=child, person=person, related_child=related_child,
                **{k: data[k] for k in RELATIONSHIP_KEYS},
            )
            if form.matches:
                services.match_check_record(
                    actor=request.user, subject=MatchCheck.Subject.NETWORK, first_name=data["first_name"],
                    last_name=data["last_name"], date_of_birth=data["date_of_birth"], matches=form.matches,
                    chosen=form.chosen, child=child, person=person, related_child=related_child,
                    relationship=relationship)
            return relationship

    def success(relationship):
        if form.matches and form.chosen:
            return f"{form.chosen.name} added to the family network: their existing record is linked"
        return "Added to the family network"

    if settled and (done := submit(request, form, write, success=success, then=_family_url(child))):
        return done
    return render(request, "people/family_add.html", _child_context(request, child, form=form))


@require_http_methods(["GET", "POST"])
def relationship_edit(request, child_id, relationship_id):
    child = _child(request, child_id, "edit")
    relationship = selectors.relationship_for(child=child, relationship_id=relationship_id)
    if relationship.end_date is not None:
        raise Http404("This relationship has ended")
    person = relationship.person
    if request.method == "POST":
        form = RelationshipEditForm(request.POST)

        def write(data):
            with transaction.atomic():
                services.relationship_update(
                    actor=request.user, relationship=relationship, expected_version=data["version"],
                    **{k: data[k] for k in RELATIONSHIP_KEYS}
                )
                if person is not None:
                    services.person_update(
                        actor=request.user, person=person, expected_version=data["person_version"],
                        child=child, **{k: data[k] for k in PERSON_FLAG_KEYS},
                    )

        if done := submit(request, form, write, success="Relationship updated", then=_family_url(child)):
            return done
    else:
        initial = {k: getattr(relationship, k) for k in RELATIONSHIP_KEYS}
        initial["version"] = relationship.version
        if person is not None:
            initial.update({k: getattr(person, k) for k in PERSON_FLAG_KEYS}, person_version=person.version)
        form = RelationshipEditForm(initial=initial)
    if person is None:
        for name in PERSON_FLAG_KEYS:
            form.fields.pop(name, None)
    return render(request, "people/relationship_edit.html", _child_context(
        request, child, form=form, relationship=relationship,
        end_form=RelationshipEndForm(initial={"version": relationship.version}),
    ))


@require_POST
def relationship_end(request, child_id, relationship_id):
    child = _child(request, child_id, "edit")
    relationship = selectors.relationship_for(child=child, relationship_id=relationship_id)
    end_form = RelationshipEndForm(request.POST)
    if done := submit(request, end_form,
                      lambda data: services.relationship_end(actor=request.user, relationship=relationship,
                                                             end_date=data["end_date"],
                                                             expected_version=data["version"]),
                      success="Relationship ended", then=_family_url(child)):
        return done
    if relationship.end_date is not None:
        raise Http404("This relationship has ended")
    initial = {k: getattr(relationship, k) for k in RELATIONSHIP_KEYS}
    form = RelationshipEditForm(initial={**initial, "version": relationship.version})
    if relationship.person is None:
        for name in PERSON_FLAG_KEYS:
            form.fields.pop(name, None)
    else:
        form.initial.update({k: getattr(relationship.person, k) for k in PERSON_FLAG_KEYS},
                            person_version=relationship.person.version)
    return render(request, "people/relationship_edit.html", _child_context(
        request, child, form=form, relationship=relationship, end_form=end_form
    ), status=200)


# Merge ------------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def merge(request, child_id):
    keep = _child(request, child_id, "merge")
    if request.method == "POST" and request.POST.get("step") == "confirm":
        form = MergeConfirmForm(request.POST)
        duplicate = access.child_for(request.user, request.POST.get("duplicate", ""), request=request,
                                     action="merge")
        if duplicate.pk == keep.pk:
            raise Http404("No child found")
        if done := submit(
            request, form, lambda data: services.child_merge(actor=request.user, keep=keep, duplicate=duplicate),
            success=lambda moved: f"Record {duplicate.la_child_id} merged into this one ({sum(moved.values())} "
                                  "items moved)",
            then=_record_url(keep),
        ):
            return done
        return render(request, "people/merge_confirm.html",
                      _child_context(request, keep, form=form, duplicate=duplicate))
    form = MergePickForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        duplicate = selectors.merge_candidate(user=request.user, keep=keep, la_child_id=form.cleaned_data["la_child_id"])
        if duplicate is None:
            form.add_error("la_child_id", "There is no other child you can merge with this LA child ID")
        else:
            confirm = MergeConfirmForm(initial={"duplicate": duplicate.pk})
            return render(request, "people/merge_confirm.html",
                          _child_context(request, keep, form=confirm, duplicate=duplicate))
    return render(request, "people/merge.html", _child_context(request, keep, form=form))


# Restriction --------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def restriction(request, child_id):
    child = _child(request, child_id, "restrict")
    restrict_form = RestrictForm(initial={"reason": child.restriction_reason})
    grant_form = GrantForm()
    here = reverse("people:restriction", args=[child.pk])
    op = request.POST.get("op") if request.method == "POST" else None
    if op == "restrict":
        restrict_form = RestrictForm(request.POST)
        if done := submit(request, restrict_form,
                          lambda data: services.child_restrict(actor=request.user, child=child, **data),
                          success="Record restricted", then=here):
            return done
    elif op == "grant":
        grant_form = GrantForm(request.POST)

        def grant(data):
            user = selectors.active_user(username=data["username"])
            services.access_grant_add(actor=request.user, child=child, user=user)
            return user

        if done := submit(request, grant_form, grant,
                          success=lambda user: f"{user.display_name} may now see this record", then=here):
            return done
    elif op in ("unrestrict", "revoke"):  # a button, with no form to fill in
        try:
            if op == "unrestrict":
                services.child_unrestrict(actor=request.user, child=child)
                messages.success(request, "Restriction removed")
            else:
                grant = get_object_or_404(RestrictedAccessGrant, child=child, pk=request.POST.get("grant"))
                services.access_grant_remove(actor=request.user, grant=grant)
                messages.success(request, "Access removed")
            return redirect(here)
        except StaleRecordError as exc:
            restrict_form.add_error(None, str(exc))
        except ValidationError as exc:
            apply_errors(grant_form if op == "revoke" else restrict_form, exc)
    elif op is not None:
        raise Http404("Unknown action")
    return render(request, "people/restriction.html", _child_context(
        request, child, restrict_form=restrict_form, grant_form=grant_form, grants=selectors.grants_for(child)
    ))


# Partner sharing ------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def sharing(request, child_id):
    child = _child(request, child_id, "edit")
    form = ShareForm(request.POST or None) if request.POST.get("op") != "end" else ShareForm()
    if request.method == "POST":
        if request.POST.get("op") == "end":
            share = get_object_or_404(PartnerShare, child=child, pk=request.POST.get("share"))
            try:
                services.partner_share_end(actor=request.user, share=share,
                                           expected_version=posted_version(request.POST))
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            except StaleRecordError as exc:
                messages.error(request, str(exc))
            else:
                messages.success(request, f"Stopped sharing with {share.get_agency_display().lower()}")
            return redirect("people:sharing", child.pk)
        if done := submit(request, form,
                          lambda data: services.partner_share_add(actor=request.user, child=child, **data),
                          success="Record shared", then=reverse("people:sharing", args=[child.pk])):
            return done
    page_obj = Paginator(selectors.shares_for(child), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "people/sharing.html", _child_context(
        request, child, form=form, page_obj=page_obj, today=timezone.localdate()
    ))
