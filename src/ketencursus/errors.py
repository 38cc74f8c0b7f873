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

    def user_message(self) -> str:
        """The Dutch message the handler prints after ``Fout: `` (may span lines)."""
        return str(self)


def describe_os_error(exc: OSError) -> str:
    """A Dutch message for a file-system error the user can fix: which file, what went wrong,
    what to do. Used by the handler in :func:`ketencursus.cli.main` for any ``OSError`` that
    reaches it (missing file, unwritable output path, a directory where a file was expected)."""
    import errno

    where = exc.filename if exc.filename is not None else None
    target = f" '{where}'" if where else ""
    if exc.filename2 is not None:
        target += f" (naar '{exc.filename2}')"
    code = exc.errno
    if isinstance(exc, FileNotFoundError) or code == errno.ENOENT:
        return (f"bestand of map{target} bestaat niet. Controleer het pad (spelling, "
                "werkmap) en probeer het opnieuw.")
    if isinstance(exc, PermissionError) or code in (errno.EACCES, errno.EPERM):
        return (f"geen toegang tot{target}. Kies een map waarin je mag schrijven of "
                "pas de rechten aan, en probeer het opnieuw.")
    if isinstance(exc, IsADirectoryError) or code == errno.EISDIR:
        return (f"{target.strip() or 'het pad'} is een map, geen bestand. Geef een "
                "bestandsnaam op.")
    if isinstance(exc, NotADirectoryError) or code == errno.ENOTDIR:
        return (f"een deel van het pad{target} is een bestand, geen map. Controleer het pad.")
    if isinstance(exc, FileExistsError) or code == errno.EEXIST:
        return f"{target.strip() or 'het doel'} bestaat al. Kies een andere naam of map."
    if code == errno.ENOSPC:
        return f"de schijf is vol bij het schrijven van{target}. Maak ruimte vrij."
    if code == errno.EROFS:
        return (f"{target.strip() or 'het doel'} staat op een alleen-lezen schijf. Kies een "
                "andere uitvoermap.")
    if code == errno.ENAMETOOLONG:
        return f"de naam{target} is te lang. Kies een kortere naam."
    reason = exc.strerror or exc.__class__.__name__
    return (f"lezen of schrijven van{target or ' een bestand'} is mislukt ({reason}). "
            "Controleer het pad en de rechten en probeer het opnieuw.")
