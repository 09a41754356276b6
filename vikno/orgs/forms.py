"""Forms of the staff pages: a week of opening hours and one schedule exception.

The forms only parse input; the rules live in ``services``. ``apply_error`` puts a DomainError
raised by a service beside the field it names, so the page shows it where the user typed.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from vikno.core.errors import DomainError

from .models import ScheduleException

WEEKDAYS = [_("Monday"), _("Tuesday"), _("Wednesday"), _("Thursday"), _("Friday"), _("Saturday"), _("Sunday")]
TIME_WIDGET = {"widget": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"), "required": False}


class WeeklyHoursForm(forms.Form):
    """Seven days × ``slots`` intervals, each an opening and a closing time; empty slots are ignored."""

    def __init__(self, *args, slots: int = 2, **kwargs):
        super().__init__(*args, **kwargs)
        self.slots = slots
        for weekday, day in enumerate(WEEKDAYS):
            for slot in range(slots):
                self.fields[f"d{weekday}_{slot}_opens"] = forms.TimeField(
                    label=_("%(day)s, interval %(n)s: opens") % {"day": day, "n": slot + 1}, **TIME_WIDGET
                )
                self.fields[f"d{weekday}_{slot}_closes"] = forms.TimeField(
                    label=_("%(day)s, interval %(n)s: closes") % {"day": day, "n": slot + 1}, **TIME_WIDGET
                )
        self._slot_of: dict[tuple[int, int], int] = {}

    @classmethod
    def initial_from(cls, week: dict) -> tuple[dict, int]:
        """Initial values and the number of slots for the office's current week."""
        slots = max([2, *(len(v) + 1 for v in week.values() if len(v) >= 2)])
        initial = {}
        for weekday, intervals in week.items():
            for slot, (opens, closes) in enumerate(intervals):
                initial[f"d{weekday}_{slot}_opens"] = opens
                initial[f"d{weekday}_{slot}_closes"] = closes
        return initial, slots

    def clean(self):
        data = super().clean()
        for weekday, day in enumerate(WEEKDAYS):
            for slot in range(self.slots):
                opens, closes = data.get(f"d{weekday}_{slot}_opens"), data.get(f"d{weekday}_{slot}_closes")
                if f"d{weekday}_{slot}_opens" in self.errors or f"d{weekday}_{slot}_closes" in self.errors:
                    continue
                if opens and not closes:
                    self.add_error(f"d{weekday}_{slot}_closes", _("%(day)s: enter the closing time.") % {"day": day})
                elif closes and not opens:
                    self.add_error(f"d{weekday}_{slot}_opens", _("%(day)s: enter the opening time.") % {"day": day})
        return data

    def hours(self) -> dict:
        """The week as the service takes it, remembering which slot each interval came from."""
        week: dict[int, list] = {}
        self._slot_of = {}
        for weekday in range(7):
            for slot in range(self.slots):
                opens = self.cleaned_data.get(f"d{weekday}_{slot}_opens")
                closes = self.cleaned_data.get(f"d{weekday}_{slot}_closes")
                if opens and closes:
                    intervals = week.setdefault(weekday, [])
                    self._slot_of[(weekday, len(intervals))] = slot
                    intervals.append((opens, closes))
        return week

    def days(self) -> list:
        """Rows for the template: (day name, [(opens field, closes field), …])."""
        return [
            (day, [(self[f"d{weekday}_{s}_opens"], self[f"d{weekday}_{s}_closes"]) for s in range(self.slots)])
            for weekday, day in enumerate(WEEKDAYS)
        ]

    def slot_numbers(self) -> range:
        return range(1, self.slots + 1)

    def apply_error(self, error: DomainError) -> None:
        """Show a service error beside its field (``hours.<weekday>.<index>.<opens|closes>``)."""
        parts = (error.field or "").split(".")
        if len(parts) == 4 and parts[0] == "hours" and parts[1].isdigit() and parts[2].isdigit():
            weekday, index = int(parts[1]), int(parts[2])
            slot = self._slot_of.get((weekday, index), index)
            name = f"d{weekday}_{slot}_{parts[3]}"
            if name in self.fields:
                self.add_error(name, error.message)
                return
        self.add_error(None, error.message)


class ScheduleExceptionForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    kind = forms.ChoiceField(label=_("Kind"), choices=ScheduleException.Kind.choices)
    opens = forms.TimeField(label=_("Opens"), help_text=_("Not needed when the office is closed."), **TIME_WIDGET)
    closes = forms.TimeField(label=_("Closes"), **TIME_WIDGET)
    note = forms.CharField(label=_("Note"), required=False, max_length=300)

    def apply_error(self, error: DomainError) -> None:
        self.add_error(error.field if error.field in self.fields else None, error.message)
