"""``ketencursus scorm``: the package an LMS receives, checked the way an LMS reads it.

The manifest is validated against the SCORM 1.2 schemas that the package itself carries
(xmlschema); every file the manifest names is in the zip and every file in the zip is named
and reachable from the launch page; nothing refers to a file outside the package."""

from __future__ import annotations

import re
import subprocess
import zipfile
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
import xmlschema

from ketencursus.cli import main
from ketencursus.publish.scorm import read_book_info
from ketencursus.publish.scorm.crawl import closure
from ketencursus.publish.scorm.manifest import NS_ADLCP, NS_CP, NS_MD, SCHEMA_FILES
from ketencursus.quiz.bank import load_bank
from tests.support import ROOT, VENV_BIN

pytestmark = pytest.mark.slow

CP = f"{{{NS_CP}}}"


def manifest_files(unpacked: Path) -> list[str]:
    tree = ET.parse(unpacked / "imsmanifest.xml")
    return [f.get("href") for f in tree.iter(f"{CP}file")]


def scorm12_schema(unpacked: Path) -> xmlschema.XMLSchemaBase:
    """The package's own SCORM 1.2 schemas, loaded as an LMS's validator would.

    Two faults of the 2001 IMS files are worked around, without changing a rule: the IMS
    metadata schema breaks XSD 1.0's Unique Particle Attribution rule (an optional element
    next to a strict ``any`` wildcard), which XSD 1.1 relaxed, so it is loaded as XSD 1.1;
    and ``ims_xml.xsd`` declares the reserved XML namespace as its default namespace, which
    Namespaces in XML forbids and Python's parser refuses, so that one import (it only
    defines ``xml:lang``) is served by the W3C's own schema for that namespace."""
    w3c_xml = Path(xmlschema.__file__).parent / "schemas" / "XML" / "xml.xsd"

    def uri_mapper(uri: str) -> str:
        return w3c_xml.as_uri() if uri.endswith("/ims_xml.xsd") else uri

    return xmlschema.XMLSchema11(
        str(unpacked / "imscp_rootv1p1p2.xsd"),
        locations=[(NS_ADLCP, str(unpacked / "adlcp_rootv1p2.xsd")),
                   (NS_MD, str(unpacked / "imsmd_rootv1p2p1.xsd"))],
        uri_mapper=uri_mapper,
    )


def test_manifest_validates_against_the_scorm_1_2_schemas_in_the_package(unpacked):
    for name in SCHEMA_FILES:
        assert (unpacked / name).is_file(), f"{name} ontbreekt naast het manifest"
    scorm12_schema(unpacked).validate(str(unpacked / "imsmanifest.xml"))  # raises with reason


def test_the_schema_check_rejects_a_manifest_that_breaks_scorm(unpacked, tmp_path):
    good = (unpacked / "imsmanifest.xml").read_text(encoding="utf-8")
    schema = scorm12_schema(unpacked)
    for broken in (good.replace('adlcp:scormtype="sco"', 'adlcp:scormtype="boek"'),
                   good.replace("<imsmd:language>", "<imsmd:taal>").replace(
                       "</imsmd:language>", "</imsmd:taal>"),
                   good.replace("<resources>", "<bronnen>").replace("</resources>", "</bronnen>")):
        assert broken != good
        path = tmp_path / "manifest.xml"
        path.write_text(broken, encoding="utf-8")
        assert not schema.is_valid(str(path))


def test_manifest_is_one_sco_with_the_course_metadata_and_study_load(unpacked):
    tree = ET.parse(unpacked / "imsmanifest.xml")
    resources = list(tree.iter(f"{CP}resource"))
    assert len(resources) == 1
    assert resources[0].get(f"{{{NS_ADLCP}}}scormtype") == "sco"
    assert resources[0].get("href") == "start.html"
    items = list(tree.iter(f"{CP}item"))
    assert len(items) == 1 and items[0].get("identifierref") == resources[0].get("identifier")
    md = f"{{{NS_MD}}}"
    assert tree.find(f".//{md}general/{md}language").text == "nl"
    assert "Ketens de baas" in tree.find(f".//{md}general/{md}title/{md}langstring").text
    hours = read_book_info(ROOT / "_config.yml", ROOT / "_toc.yml").study_hours
    learning = tree.find(f".//{md}typicallearningtime/{md}datetime").text
    hours_part, minutes = divmod(round(hours * 60), 60)
    assert learning == f"PT{hours_part}H" + (f"{minutes}M" if minutes else "")


def test_study_load_in_the_config_is_the_one_the_start_page_states(built_book):
    hours = read_book_info(ROOT / "_config.yml", ROOT / "_toc.yml").study_hours
    start = (built_book.html / "book" / "index.html").read_text(encoding="utf-8")
    text = re.sub(r"<[^>]+>", " ", start)
    assert re.search(rf"ongeveer\s+{int(hours)}\s+uur", text), (
        f"de startpagina noemt niet 'ongeveer {int(hours)} uur' (ketencursus_studielast_uren)")


def test_every_named_file_is_in_the_zip_and_every_file_in_the_zip_is_named(scorm_zip, unpacked):
    with zipfile.ZipFile(scorm_zip) as zf:
        in_zip = set(zf.namelist())
    named = set(manifest_files(unpacked))
    control = {"imsmanifest.xml", *SCHEMA_FILES}
    assert named - in_zip == set(), "het manifest noemt bestanden die niet in de zip staan"
    assert in_zip - named - control == set(), "bestanden in de zip die het manifest niet noemt"
    assert "start.html" in named and "book/h1_ketens.html" in named


def test_every_file_is_reachable_and_every_reference_resolves_inside_the_package(unpacked):
    def exists(path: str) -> bool:
        return (unpacked / path).is_file()

    def read(path: str) -> str:
        return (unpacked / path).read_text(encoding="utf-8", errors="replace")

    # Scripts that load their own parts (MathJax) count their folder as reachable.
    def expand(path: str) -> list[str]:
        if path.endswith("vendor/mathjax/tex-mml-chtml.js"):
            base = unpacked / Path(path).parent
            return [p.relative_to(unpacked).as_posix() for p in base.rglob("*") if p.is_file()]
        return []

    # The launch page opens the book's start page in its frame (ketencursus-sco-data.js).
    reach = closure(["start.html", "book/index.html"], exists, read, expand=expand)
    assert reach.missing == {}, f"verwijzingen naar bestanden buiten het pakket: {reach.missing}"
    content = set(manifest_files(unpacked))
    assert content - reach.reachable == set(), "bestanden die vanaf start.html niet bereikbaar zijn"


def test_pages_have_no_binder_button_and_outside_links_open_in_a_new_window(unpacked):
    pages = [p for p in (unpacked / "book").rglob("*.html")]
    assert pages
    outside = 0
    for page in pages:
        html = page.read_text(encoding="utf-8")
        assert "dropdown-launch-buttons" not in html, page
        assert "mybinder.org" not in html, page
        for tag in re.findall(r"<a\b[^>]*\bhref=\"https?://[^>]*>", html):
            outside += 1
            assert 'target="_blank"' in tag and "noopener" in tag, (page, tag)
    assert outside > 0, "het boek linkt naar bronnen buiten het pakket; er zijn er geen gevonden"


def test_launch_page_knows_every_chapter_and_every_self_check(unpacked):
    data = (unpacked / "ketencursus-sco-data.js").read_text(encoding="utf-8")
    for n in range(1, 8):
        assert re.search(rf'"book/h{n}_[a-z_]+\.html"', data)
    bank = load_bank(ROOT / "exercises" / "bank")
    for question in bank.selfcheck():
        assert f'"{question.id}"' in data, f"zelftoets {question.id} ontbreekt in de regel"
    for question in bank.graded():
        assert f'"{question.id}"' not in data, f"nagekeken vraag {question.id} in het pakket"


def test_without_a_built_book_the_command_says_to_build_it_first(tmp_path, capsys):
    code = main(["scorm", "-o", str(tmp_path / "pakket.zip"), "--html", str(tmp_path / "leeg")])
    assert code == 2
    err = capsys.readouterr().err
    assert "make book" in err and "Traceback" not in err


def test_output_must_be_a_zip(built_book, tmp_path, capsys):
    code = main(["scorm", "-o", str(tmp_path / "pakket.tar"), "--html", str(built_book.html)])
    assert code == 2
    assert ".zip" in capsys.readouterr().err


def test_command_line_writes_the_package(built_book, tmp_path):
    out = tmp_path / "uit" / "cursus.zip"
    proc = subprocess.run(
        [str(VENV_BIN / "ketencursus"), "scorm", "-o", str(out), "--html", str(built_book.html)],
        cwd=ROOT, capture_output=True, text=True,
    )
    assert proc.returncode == 0, proc.stderr
    assert "SCORM 1.2-pakket geschreven" in proc.stdout
    assert zipfile.is_zipfile(out)
