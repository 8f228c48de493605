"""Hooks other apps listen to when the agency hierarchy changes."""

from django.dispatch import Signal

agencies_reorganized = Signal()
"""Sent once per recorded `Reorganization` (merge, split, rename, dissolution).

Keyword arguments: `reorganization`, the saved instance, whose `predecessors` and
`successors` are already set and whose predecessors' `valid_to` and new successors'
`valid_from` are already written. `sender` is the `Reorganization` class.

It is sent *inside* the transaction that records the reorganization, after everything above
is written: a receiver's own writes (moving open tasks, programs and their history to the
successors) commit or roll back together with the reorganization, and an exception raised by
a receiver undoes the whole reorganization. Receivers must therefore be quick and must not
have effects outside the database; anything else (e-mail, notifications to deliver) belongs
in `transaction.on_commit`.

    @receiver(agencies_reorganized)
    def tasks_follow_reorganization(sender, reorganization, **kwargs):
        services.tasks_transfer(reorganization)
"""
