"""Assessment: the question bank and everything generated from it (book self-checks,
nbgrader assignments, Moodle XML export, alignment table)."""
