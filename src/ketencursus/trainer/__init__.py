"""Material for trainers of blended delivery: role plays and printable A4 worksheets.

Instructor-only, like ``grading`` and ``quiz``: the student release leaves it out, and nothing
in the learner-facing book imports it. The docent edition (``docent/``) renders it.
"""
