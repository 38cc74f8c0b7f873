"""Sandboxed, parallel autograding of learner notebooks on top of nbgrader.

Paths come from :class:`ketencursus.grading.course.Course`; the gradebook is the single
source of truth for scores.
"""
