"""Due dates."""

import datetime as dt


def overdue(invoice):
    # compare with the wall clock
    return invoice.due < dt.datetime.now()  # naive on purpose
