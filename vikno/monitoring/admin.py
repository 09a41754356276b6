"""Indicators and questionnaires are configured here: a new question or indicator needs no code change.
Values and assessments are shown read-only (they change through the monitoring pages, audited)."""

from __future__ import annotations

from django import forms
from django.contrib import admin

from . import services
from .models import Answer, Assessment, Choice, Indicator, IndicatorValue, Question, Questionnaire, Section


class IndicatorForm(forms.ModelForm):
    function = forms.ChoiceField(required=False, help_text="Computed indicators only.")

    class Meta:
        model = Indicator
        fields = (
            "code", "name", "description", "unit", "direction", "target", "threshold", "weight", "method",
            "function", "min_value", "max_value", "position", "is_active",
        )  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["function"].choices = [("", "—"), *services.registry_choices()]


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    form = IndicatorForm
    list_display = ("code", "name", "method", "function", "direction", "target", "threshold", "weight", "is_active")
    list_filter = ("method", "direction", "is_active")
    search_fields = ("code", "name")
    list_editable = ("is_active",)


@admin.register(IndicatorValue)
class IndicatorValueAdmin(admin.ModelAdmin):
    list_display = ("indicator", "center", "period_start", "period_end", "value", "score", "source", "at")
    list_filter = ("indicator", "source")
    list_select_related = ("indicator", "center")
    date_hierarchy = "period_start"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class SectionInline(admin.TabularInline):
    model = Section
    extra = 0
    show_change_link = True


@admin.register(Questionnaire)
class QuestionnaireAdmin(admin.ModelAdmin):
    list_display = ("title", "code", "version", "period_kind", "is_active")
    list_filter = ("is_active", "period_kind")
    inlines = [SectionInline]


class QuestionInline(admin.StackedInline):
    model = Question
    extra = 0
    show_change_link = True
    fields = (
        ("code", "kind", "position", "required"),
        "text",
        "help_text",
        ("weight", "max_points", "unit"),
        ("min_value", "max_value", "scale_zero", "scale_full"),
    )


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
    list_display = ("title", "questionnaire", "kind", "position", "weight")
    list_filter = ("questionnaire", "kind")
    inlines = [QuestionInline]


class ChoiceInline(admin.TabularInline):
    model = Choice
    extra = 0


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    list_display = ("text", "section", "kind", "weight", "max_points", "required")
    list_filter = ("section__questionnaire", "kind")
    search_fields = ("text", "code")
    inlines = [ChoiceInline]


class AnswerInline(admin.TabularInline):
    model = Answer
    extra = 0
    can_delete = False
    fields = ("question", "value_bool", "value_number", "choice", "points")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Assessment)
class AssessmentAdmin(admin.ModelAdmin):
    list_display = ("center", "questionnaire", "period", "status", "percent", "submitted_at", "reviewed_at")
    list_filter = ("status", "questionnaire", "period")
    list_select_related = ("center", "questionnaire")
    inlines = [AnswerInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
