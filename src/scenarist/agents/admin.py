"""Admin views of agents and what they carry."""

from django.contrib import admin

from .models import Agent, DynamicVariable, KnowledgeBaseFile, MockTool


class MockToolInline(admin.TabularInline):
    """Mock tools on the agent page."""

    model = MockTool
    extra = 0
    fields = ("name", "description")
    show_change_link = True


class DynamicVariableInline(admin.TabularInline):
    """Dynamic variables on the agent page."""

    model = DynamicVariable
    extra = 0
    fields = ("name", "description", "auto_detected")


class KnowledgeBaseFileInline(admin.TabularInline):
    """Knowledge-base files on the agent page (read-only; upload through the API)."""

    model = KnowledgeBaseFile
    extra = 0
    fields = ("file_name", "file_type", "file_size", "text_chars", "created_at")
    readonly_fields = fields
    can_delete = True
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Agent)
class AgentAdmin(admin.ModelAdmin):
    """Agents, with their tools, variables and KB files inline."""

    list_display = ("id", "agent_name", "project", "language", "assistant_id", "updated_at")
    list_filter = ("language", "inbound")
    search_fields = ("agent_name", "assistant_id", "description")
    list_select_related = ("project",)
    inlines = (MockToolInline, DynamicVariableInline, KnowledgeBaseFileInline)


@admin.register(MockTool)
class MockToolAdmin(admin.ModelAdmin):
    """Mock tools with their JSON mock rows."""

    list_display = ("id", "name", "agent", "updated_at")
    search_fields = ("name", "agent__agent_name")
    list_select_related = ("agent",)


@admin.register(DynamicVariable)
class DynamicVariableAdmin(admin.ModelAdmin):
    """Dynamic variables of agents."""

    list_display = ("id", "name", "agent", "auto_detected")
    list_filter = ("auto_detected",)
    search_fields = ("name", "agent__agent_name")
    list_select_related = ("agent",)


@admin.register(KnowledgeBaseFile)
class KnowledgeBaseFileAdmin(admin.ModelAdmin):
    """Knowledge-base files: metadata and extracted text (bytes are not shown)."""

    list_display = ("id", "file_name", "agent", "file_type", "file_size", "text_chars", "created_at")
    search_fields = ("file_name", "agent__agent_name")
    list_select_related = ("agent",)
    exclude = ("content",)
    readonly_fields = ("agent", "file_name", "file_type", "file_size", "sha256", "text_chars", "extracted_text", "created_at", "updated_at")

    def get_queryset(self, request):
        return super().get_queryset(request).defer("content")

    def has_add_permission(self, request):
        return False
