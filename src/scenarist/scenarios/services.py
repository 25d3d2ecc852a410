"""Scenario folders: dotted paths, validated here, created on demand, renamed/moved/deleted as subtrees."""

from __future__ import annotations

import re

from django.db import IntegrityError, transaction
from rest_framework import serializers

from scenarist.accounts.models import Project

from .models import Folder, Scenario

MAX_SEGMENT_CHARS = 100
MAX_PATH_CHARS = 1000
SEPARATOR = "."
# A segment is any printable text without the separator or slashes (which read as paths elsewhere).
_SEGMENT_RE = re.compile(r"^[^\x00-\x1f\x7f./\\]+$")


def validate_folder_name(name: str) -> str:
    """One folder name (a path segment): non-empty, ≤ 100 chars, no dots, slashes or control characters;
    raises DRF ValidationError with the reason."""
    if not isinstance(name, str) or not name.strip():
        raise serializers.ValidationError("Folder names may not be blank.")
    if name != name.strip():
        raise serializers.ValidationError("Folder names may not start or end with spaces.")
    if len(name) > MAX_SEGMENT_CHARS:
        raise serializers.ValidationError(f"Folder names may have at most {MAX_SEGMENT_CHARS} characters.")
    if not _SEGMENT_RE.match(name):
        raise serializers.ValidationError(
            "Folder names may not contain '.', '/', '\\' or control characters ('.' separates path levels)."
        )
    return name


def validate_folder_path(path: str) -> str:
    """A dotted folder path (`parent.child`), every segment valid; returns it unchanged or raises DRF
    ValidationError naming the offending segment."""
    if not isinstance(path, str) or not path:
        raise serializers.ValidationError("Folder path may not be blank.")
    if len(path) > MAX_PATH_CHARS:
        raise serializers.ValidationError(f"Folder path may have at most {MAX_PATH_CHARS} characters.")
    for segment in path.split(SEPARATOR):
        try:
            validate_folder_name(segment)
        except serializers.ValidationError as exc:
            raise serializers.ValidationError(f"Invalid folder path '{path}': {exc.detail[0]}") from None
    return path


def parent_of(path: str) -> str | None:
    """The parent path of a folder path, or None at the root."""
    head, sep, _ = path.rpartition(SEPARATOR)
    return head if sep else None


def join_path(parent_path: str | None, name: str) -> str:
    """The path of `name` inside `parent_path` (root when empty)."""
    return f"{parent_path}{SEPARATOR}{name}" if parent_path else name


def folder_exists(project: Project, path: str) -> bool:
    """True when the project has a folder at exactly this path."""
    return Folder.objects.filter(project=project, path=path).exists()


def ensure_folder_path(project: Project, path: str) -> None:
    """Create the folder at `path` and any missing parents (safe under concurrent callers)."""
    validate_folder_path(path)
    segments = path.split(SEPARATOR)
    for depth in range(1, len(segments) + 1):
        prefix = SEPARATOR.join(segments[:depth])
        if folder_exists(project, prefix):
            continue
        try:
            with transaction.atomic():
                Folder.objects.create(project=project, name=segments[depth - 1], path=prefix)
        except IntegrityError:
            pass  # another writer created it first; the unique constraint keeps one row


def create_folder(project: Project, name: str, parent_path: str | None) -> Folder:
    """Create one folder under an existing parent (or at the root); ValidationError on clashes."""
    try:
        validate_folder_name(name)
    except serializers.ValidationError as exc:
        raise serializers.ValidationError({"name": exc.detail}) from None
    if parent_path and not folder_exists(project, parent_path):
        raise serializers.ValidationError({"parent_path": [f"Folder '{parent_path}' does not exist."]})
    path = join_path(parent_path, name)
    if folder_exists(project, path):
        raise serializers.ValidationError({"name": [f"Folder '{path}' already exists."]})
    try:
        with transaction.atomic():
            return Folder.objects.create(project=project, name=name, path=path)
    except IntegrityError:
        raise serializers.ValidationError({"name": [f"Folder '{path}' already exists."]}) from None


def _subtree_folders(project: Project, path: str):
    """The folder at `path` and all its descendants."""
    return Folder.objects.filter(project=project, path=path) | Folder.objects.filter(
        project=project, path__startswith=path + SEPARATOR
    )


def _subtree_scenarios(project: Project, path: str):
    """Scenarios filed in the folder at `path` or any descendant."""
    return Scenario.objects.filter(project=project, folder_path=path) | Scenario.objects.filter(
        project=project, folder_path__startswith=path + SEPARATOR
    )


def _rebase(path: str, old_root: str, new_root: str) -> str:
    """`path` (inside `old_root`) rewritten to sit at the same place under `new_root`."""
    return new_root + path[len(old_root):]


def _move_subtree(project: Project, old_root: str, new_root: str) -> Folder:
    """Rewrite the paths of a folder subtree and of the scenarios inside it."""
    if folder_exists(project, new_root):
        raise serializers.ValidationError({"path": [f"Folder '{new_root}' already exists."]})
    if len(new_root) > MAX_PATH_CHARS:
        raise serializers.ValidationError({"path": [f"Folder path may have at most {MAX_PATH_CHARS} characters."]})
    with transaction.atomic():
        # Longest paths first is not needed (paths are unique per row), but ordering keeps writes deterministic.
        for folder in _subtree_folders(project, old_root).order_by("path"):
            folder.path = _rebase(folder.path, old_root, new_root)
            if folder.path == new_root:
                folder.name = new_root.rpartition(SEPARATOR)[2]
            folder.save(update_fields=["path", "name", "updated_at"])
        for scenario in _subtree_scenarios(project, old_root).only("id", "folder_path"):
            Scenario.objects.filter(pk=scenario.pk).update(folder_path=_rebase(scenario.folder_path, old_root, new_root))
    return Folder.objects.get(project=project, path=new_root)


def _require_folder(project: Project, path: str, field: str = "path") -> None:
    """ValidationError naming `field` unless the folder exists."""
    if not path or not folder_exists(project, path):
        raise serializers.ValidationError({field: [f"Folder '{path}' does not exist."]})


def rename_folder(project: Project, path: str, name: str) -> Folder:
    """Rename a folder; its descendants' and scenarios' paths follow."""
    _require_folder(project, path)
    try:
        validate_folder_name(name)
    except serializers.ValidationError as exc:
        raise serializers.ValidationError({"name": exc.detail}) from None
    new_path = join_path(parent_of(path), name)
    if new_path == path:
        return Folder.objects.get(project=project, path=path)
    return _move_subtree(project, path, new_path)


def move_folder(project: Project, path: str, new_parent_path: str | None) -> Folder:
    """Move a folder under another one (or to the root); refuses moving into itself or a descendant."""
    _require_folder(project, path)
    if new_parent_path:
        _require_folder(project, new_parent_path, "new_parent_path")
        if new_parent_path == path or new_parent_path.startswith(path + SEPARATOR):
            raise serializers.ValidationError(
                {"new_parent_path": ["A folder cannot be moved into itself or one of its descendants."]}
            )
    new_path = join_path(new_parent_path, path.rpartition(SEPARATOR)[2])
    if new_path == path:
        return Folder.objects.get(project=project, path=path)
    return _move_subtree(project, path, new_path)


def delete_folder(project: Project, path: str) -> None:
    """Delete a folder, its descendants and every scenario inside them."""
    _require_folder(project, path)
    with transaction.atomic():
        _subtree_scenarios(project, path).delete()
        _subtree_folders(project, path).delete()
