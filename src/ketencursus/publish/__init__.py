"""Publishing: the learner-facing release (``ketencursus student-release``) and the checks
that keep instructor material (solutions, hidden tests, graded answers) out of it."""
