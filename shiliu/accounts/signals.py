"""Signals accounts sends for the apps above it.

Accounts sits below the inbox (notifications), so it cannot write a notification itself: it sends ``user_notice``
and the notifications app, which listens from its ``AppConfig.ready()``, delivers it.
"""

from django.dispatch import Signal

# Something a user should be told in their inbox: sent with user=, text=, key= (idempotency) and link=.
user_notice = Signal()
