"""Scenarios from elsewhere: the attempt journal (journal.py), SWE-bench predictions."""
