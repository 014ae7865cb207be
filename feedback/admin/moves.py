"""One POST endpoint per workflow move on a scoped object, and what was typed when a move failed.

The endpoint looks the object up through the admin's scoped queryset (404 outside the scope),
checks the change permission (403), validates the move's form and calls ``apply_move``, which
calls the move in ``feedback.workflow``; a refusal (``CaseError``) becomes an error message and
what was typed is kept for the next page, so nobody types a long note twice.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from feedback.models import CaseError

TYPED_KEY = "feedback_typed"


def keep_typed(request, kind, pk, move):
    """Remember what was typed into a workflow form that failed, so the next page shows it again."""
    prefix = f"{move}-"
    typed = {
        key[len(prefix) :]: request.POST.getlist(key)
        for key in request.POST
        if key.startswith(prefix) and not key.endswith("version")
    }
    request.session[TYPED_KEY] = {"kind": kind, "pk": pk, "move": move, "typed": typed}


def typed_initial(request, kind, pk, move):
    stored = request.session.get(TYPED_KEY)
    if not stored or (stored["kind"], stored["pk"], stored["move"]) != (kind, pk, move):
        return {}
    return {key: values if key == "assisting" else values[0] for key, values in stored["typed"].items() if values}


def forget_typed(request):
    request.session.pop(TYPED_KEY, None)


class WorkflowMovesMixin:
    """Subclasses set `moves` (name -> (title, form class, statuses)) and `typed_kind`, and implement
    `apply_move`; `move_form` may pass extra arguments to the form.
    """

    moves = {}
    typed_kind = ""

    def move_form(self, request, obj, move, form_class):
        return form_class(request.POST, request.FILES, prefix=move)

    def apply_move(self, request, obj, move, data):
        raise NotImplementedError

    def move_view(self, request, object_id, move):
        if request.method != "POST":
            return require_POST(lambda r: None)(request)
        obj = self.get_object(request, str(object_id))
        if obj is None or move not in self.moves:
            raise Http404
        if not self.has_change_permission(request, obj):
            raise PermissionDenied
        title, form_class, _statuses = self.moves[move]
        form = self.move_form(request, obj, move, form_class)
        opts = self.model._meta
        target = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
        if not form.is_valid():
            errors = "；".join(
                f"{form.fields[f].label if f in form.fields else ''} {' '.join(e)}".strip()
                for f, e in form.errors.items()
            )
            messages.error(request, _("%(move)s未完成：%(errors)s") % {"move": title, "errors": errors})
            keep_typed(request, self.typed_kind, obj.pk, move)
            return redirect(target)
        try:
            self.apply_move(request, obj, move, form.cleaned_data)
        except CaseError as exc:
            messages.error(request, exc.message)
            keep_typed(request, self.typed_kind, obj.pk, move)
        else:
            messages.success(request, _("已%(move)s。") % {"move": title})
        return redirect(target)
