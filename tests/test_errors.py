"""The error policy: every error class a user can cause is a UserError (exit code 2), and a
file-system error becomes a Dutch message that names the path and says what to do."""

from __future__ import annotations

import errno
import importlib
import inspect
import pkgutil

import pytest

import ketencursus
from ketencursus.errors import EXIT_USER_ERROR, UserError, describe_os_error

# Exceptions that never reach the command line, each with the place that translates it.
INTERNAL = {
    # the grading pipeline turns these into a result of the submission
    "ketencursus.grading.steps.read.NotebookProblem",
    "ketencursus.grading._learner_runner.NotPlain",
    "ketencursus.grading.protocol.NotPlain",
    # a failure of the sandbox itself: retried, then the submission's internal error
    "ketencursus.grading.sandbox.SandboxError",
    # the zygote could not build a child's sandbox: reported to the host as a sandbox failure
    "ketencursus.grading._zygote.SetupError",
    # a rollback inside a batched gradebook write: caught in runner.record_batch, which then
    # writes the results of that batch one by one
    "ketencursus.grading.runner._BatchAborted",
    # a learner's typed answer that cannot be read: a hint in the feedback, not a CLI error
    "ketencursus.checks.TextAnswerError",
    # a lookup signal; export and report raise their own UserError with the known names
    "ketencursus.grading.gradebook.AssignmentNotInGradebook",
}


def _exception_classes():
    for info in pkgutil.walk_packages(ketencursus.__path__, "ketencursus."):
        module = importlib.import_module(info.name)
        for name, obj in vars(module).items():
            if (inspect.isclass(obj) and issubclass(obj, BaseException)
                    and obj.__module__ == module.__name__):
                yield f"{module.__name__}.{name}", obj


def test_every_error_class_of_the_package_is_a_user_error_or_known_internal():
    classes = dict(_exception_classes())
    assert "ketencursus.grading.course.CourseError" in classes
    assert len(classes) >= 15
    stray = sorted(name for name, cls in classes.items()
                   if not issubclass(cls, UserError) and name not in INTERNAL)
    assert stray == []


def test_value_error_stays_a_second_base_where_code_catches_it():
    from ketencursus.cases.simulation import SimulationInputError
    from ketencursus.grading.collect import CollectError
    from ketencursus.quiz.bank import BankError

    assert issubclass(SimulationInputError, ValueError)
    assert issubclass(CollectError, ValueError)
    assert BankError(["a"]).exit_code == EXIT_USER_ERROR


def test_bank_error_lists_each_problem_on_its_own_line():
    from ketencursus.quiz.bank import BankError

    text = BankError(["h1.yml: vraag 1", "h2.yml: vraag 4"]).user_message()
    assert text.splitlines() == [
        "de vragenbank bevat fouten; verbeter ze en probeer opnieuw:",
        "  - h1.yml: vraag 1",
        "  - h2.yml: vraag 4",
    ]


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        (FileNotFoundError(errno.ENOENT, "No such file", "/tmp/x/rooster.csv"),
         "'/tmp/x/rooster.csv' bestaat niet. Controleer het pad"),
        (PermissionError(errno.EACCES, "Permission denied", "/uit/cijfers.csv"),
         "geen toegang tot '/uit/cijfers.csv'. Kies een map waarin je mag schrijven"),
        (IsADirectoryError(errno.EISDIR, "Is a directory", "/tmp"),
         "'/tmp' is een map, geen bestand"),
        (NotADirectoryError(errno.ENOTDIR, "Not a directory", "/etc/hostname/x"),
         "een deel van het pad '/etc/hostname/x' is een bestand, geen map"),
        (OSError(errno.ENOSPC, "No space left on device", "/uit/a.xml"),
         "de schijf is vol"),
        (OSError(errno.EIO, "Input/output error", "/uit/a.xml"),
         "van '/uit/a.xml' is mislukt (Input/output error)"),
    ],
)
def test_file_system_errors_get_a_dutch_message_naming_the_path(error, expected):
    assert expected in describe_os_error(error)
