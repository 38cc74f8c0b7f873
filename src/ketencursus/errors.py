"""The error policy of the whole ``ketencursus`` command line.

Every error a user can cause (a missing or unwritable file, a bad path, a broken input file, a
wrong option) is raised as a subclass of :class:`UserError`, with a Dutch message that says what
to do. The one handler in :func:`ketencursus.cli.main` prints it as ``Fout: <message>`` on
stderr and returns its :attr:`~UserError.exit_code`. No other code prints errors or picks exit
codes.

Exit codes, the same for every command:

* ``0`` — done, nothing to look at;
* ``1`` — done, but the report needs the user's attention (:data:`EXIT_ATTENTION`);
* ``2`` — not done: the user must change something first (:class:`UserError`).
"""

from __future__ import annotations

EXIT_OK = 0
EXIT_ATTENTION = 1
EXIT_USER_ERROR = 2


class UserError(Exception):
    """An error the user caused and can fix; its message is Dutch and says what to do."""

    exit_code: int = EXIT_USER_ERROR
