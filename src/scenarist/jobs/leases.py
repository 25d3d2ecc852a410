"""Named leases in the database: at most one live holder per name, across processes and machines."""

from __future__ import annotations

from datetime import datetime, timezone as dt_timezone

from django.db import IntegrityError
from django.db.models import Q
from django.utils import timezone

from .models import Lease

_EPOCH = datetime(1970, 1, 1, tzinfo=dt_timezone.utc)


def acquire(name: str, holder: str, ttl_s: float) -> bool:
    """Take or renew lease `name` for `holder` until now + ttl_s; False while another live holder has it."""
    now = timezone.now()
    try:
        Lease.objects.get_or_create(name=name, defaults={"holder": "", "expires_at": _EPOCH})
    except IntegrityError:
        pass  # another process created it at the same moment
    # One conditional UPDATE: the database decides between two contenders, never both.
    taken = Lease.objects.filter(name=name).filter(Q(expires_at__lt=now) | Q(holder=holder)).update(
        holder=holder, expires_at=now + timezone.timedelta(seconds=ttl_s)
    )
    return bool(taken)


def release(name: str, holder: str) -> None:
    """Give lease `name` up if `holder` has it, so the next contender takes it at once."""
    Lease.objects.filter(name=name, holder=holder).update(holder="", expires_at=_EPOCH)
