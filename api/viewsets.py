"""The viewset every Close-style endpoint is made of.

Reads never build model instances or run serializer fields: objects are plain dicts built from
`.values()` by the view's `representation` (api/representations.py) and listed by Close's list
protocol (api/lists.py). Writes validate the body with the view's serializer, save, and answer
with the object read back the same way, so a write answers exactly what a GET would.
"""

import functools

from django.conf import settings
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.module_loading import import_string
from rest_framework import status, viewsets
from rest_framework.exceptions import ParseError
from rest_framework.response import Response

from api import lists, page_queries


@functools.cache
def _imported(path):
    return import_string(path)


def request_organization(request):
    """Return the organization `request` acts for, found by `settings.API_ORGANIZATION`.

    Every object of the API belongs to an organization and every queryset is scoped to the
    caller's; how a caller is tied to an organization (members, API keys) is the accounts
    app's business, which it declares by naming its function in that setting.
    """
    return _imported(settings.API_ORGANIZATION)(request)


class CloseViewSet(viewsets.GenericViewSet):
    """An endpoint over one model, scoped to the caller's organization."""

    representation = None
    orderings = {"date_created": "date_created"}
    default_order = "-date_created"

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        # PostgreSQL text cannot hold NUL characters: stop them before they reach a query.
        if "\x00" in kwargs.get("pk", ""):
            raise Http404
        for name, values in request.query_params.lists():
            if "\x00" in name or any("\x00" in value for value in values):
                raise ParseError("Query parameters cannot contain NUL characters.")

    def get_queryset(self):
        return self.queryset.filter(organization=request_organization(self.request))

    def organization_id(self):
        """Return the id of the organization the request acts for (None: no organization)."""
        organization = request_organization(self.request)
        return organization.pk if organization else None

    def get_object(self):
        return get_object_or_404(self.get_queryset(), pk=self.kwargs["pk"])

    def get_serializer_context(self):
        context = super().get_serializer_context()
        context["organization"] = request_organization(self.request)
        return context

    def object_data(self, pk):
        """Return the object `pk` as the API shows it, honouring `_fields`."""
        plan = self.representation.plan(self.request, lists.requested_fields(self.request))
        row = plan.rows(self.get_queryset().filter(pk=pk)).first()
        if row is None:
            raise Http404
        return plan.build([row])[0]

    def written_data(self, instance):
        """Return `instance`, just written by a service, as the API shows it: built from the
        instance where the representation allows it, else read back (`object_data`)."""
        plan = self.representation.plan(self.request, lists.requested_fields(self.request))
        row = plan.row_of(instance)
        if row is None:
            return self.object_data(instance.pk)
        return plan.build([row])[0]


class ListMixin:
    def list(self, request):
        answer = page_queries.page(self, request)
        if answer is None:  # a page the compiled query does not answer: the ORM builds it
            answer = lists.page(
                self.filter_queryset(self.get_queryset()),
                request,
                self.representation,
                orderings=self.orderings,
                default_order=self.default_order,
            )
        return Response(answer)

    def bound_filters(self):
        """Return the request's filters for the page query compiled once per shape
        (api/page_queries.py), {name: (filter, value)}, validated as `filter_queryset()`
        validates them; None when this list's pages are built by the ORM. The compiled query
        reads the organization's rows of `queryset`, as `CloseViewSet.get_queryset()` does: a
        view whose get_queryset() narrows them further keeps this None."""
        return None


class RetrieveMixin:
    def retrieve(self, request, pk):
        return Response(self.object_data(pk))


class CreateMixin:
    create_status = status.HTTP_200_OK

    def create(self, request):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        instance = self.perform_create(serializer)
        return Response(self.written_data(instance), status=self.create_status)

    def perform_create(self, serializer):
        return serializer.save()


class UpdateMixin:
    """PUT is a partial update, as every Close PUT is; PATCH does the same."""

    def update(self, request, pk):
        serializer = self.get_serializer(self.get_object(), data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        self.perform_update(serializer)
        return Response(self.object_data(pk))

    def partial_update(self, request, pk):
        return self.update(request, pk)

    def perform_update(self, serializer):
        serializer.save()


class DestroyMixin:
    def destroy(self, request, pk):
        self.perform_destroy(self.get_object())
        return Response({})

    def perform_destroy(self, instance):
        instance.delete()


class CloseModelViewSet(
    ListMixin, RetrieveMixin, CreateMixin, UpdateMixin, DestroyMixin, CloseViewSet
):
    pass


class CloseReadOnlyViewSet(ListMixin, RetrieveMixin, CloseViewSet):
    pass
