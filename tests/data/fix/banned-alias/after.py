"""Due dates."""

from app.clock import now


def overdue(invoice):
    # compare with the wall clock
    return invoice.due < now()  # naive on purpose
