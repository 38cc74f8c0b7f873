"""``imsmanifest.xml`` of the SCORM 1.2 package: one organisation, one item, one SCO.

The whole book is ONE sharable content object: the launch page holds the single LMS session
(LMSInitialize once, LMSFinish once per attempt) and shows the book's pages in a frame. An
item per chapter would make the LMS start a separate session, with separate tracking data,
for every chapter.

The element order and namespaces follow the schemas shipped in ``schemas/scorm12`` (IMS
Content Packaging 1.1.2, IMS Metadata 1.2.1, ADL SCORM 1.2 extensions); the tests validate
the result against them.
"""

from __future__ import annotations

from dataclasses import dataclass
from xml.etree import ElementTree as ET

from ketencursus._util.nl import number

NS_CP = "http://www.imsproject.org/xsd/imscp_rootv1p1p2"
NS_ADLCP = "http://www.adlnet.org/xsd/adlcp_rootv1p2"
NS_MD = "http://www.imsglobal.org/xsd/imsmd_rootv1p2p1"
NS_XSI = "http://www.w3.org/2001/XMLSchema-instance"
NS_XML = "http://www.w3.org/XML/1998/namespace"

SCHEMA_FILES = ("imscp_rootv1p1p2.xsd", "imsmd_rootv1p2p1.xsd", "adlcp_rootv1p2.xsd",
                "ims_xml.xsd")
SCHEMA_LOCATION = (
    f"{NS_CP} imscp_rootv1p1p2.xsd {NS_MD} imsmd_rootv1p2p1.xsd {NS_ADLCP} adlcp_rootv1p2.xsd"
)


@dataclass(frozen=True)
class CourseMetadata:
    """What an LMS shows of the course, and its study load."""

    identifier: str
    title: str
    description: str
    version: str
    rights: str
    study_hours: float
    language: str = "nl"

    def learning_time(self) -> str:
        """The study load as an ISO 8601 duration (``PT11H30M``), as IMS metadata wants it."""
        minutes = round(self.study_hours * 60)
        hours, rest = divmod(minutes, 60)
        return f"PT{hours}H{rest}M" if rest else f"PT{hours}H"


def _langstring(parent: ET.Element, tag: str, text: str, language: str) -> ET.Element:
    element = ET.SubElement(parent, f"{{{NS_MD}}}{tag}")
    string = ET.SubElement(element, f"{{{NS_MD}}}langstring")
    string.set(f"{{{NS_XML}}}lang", language)
    string.text = text
    return element


def _metadata(parent: ET.Element, meta: CourseMetadata) -> None:
    metadata = ET.SubElement(parent, f"{{{NS_CP}}}metadata")
    ET.SubElement(metadata, f"{{{NS_CP}}}schema").text = "ADL SCORM"
    ET.SubElement(metadata, f"{{{NS_CP}}}schemaversion").text = "1.2"
    lom = ET.SubElement(metadata, f"{{{NS_MD}}}lom")
    general = ET.SubElement(lom, f"{{{NS_MD}}}general")
    ET.SubElement(general, f"{{{NS_MD}}}identifier").text = meta.identifier
    _langstring(general, "title", meta.title, meta.language)
    ET.SubElement(general, f"{{{NS_MD}}}language").text = meta.language
    _langstring(general, "description", meta.description, meta.language)
    lifecycle = ET.SubElement(lom, f"{{{NS_MD}}}lifecycle")
    _langstring(lifecycle, "version", meta.version, meta.language)
    educational = ET.SubElement(lom, f"{{{NS_MD}}}educational")
    time = ET.SubElement(educational, f"{{{NS_MD}}}typicallearningtime")
    ET.SubElement(time, f"{{{NS_MD}}}datetime").text = meta.learning_time()
    _langstring(time, "description",
                f"Studielast: ongeveer {number(meta.study_hours)} uur",
                meta.language)
    rights = ET.SubElement(lom, f"{{{NS_MD}}}rights")
    restrictions = ET.SubElement(rights, f"{{{NS_MD}}}copyrightandotherrestrictions")
    _langstring(restrictions, "source", "LOMv1.0", "x-none")
    _langstring(restrictions, "value", "yes", "x-none")
    _langstring(rights, "description", meta.rights, meta.language)


def build_manifest(meta: CourseMetadata, launch: str, files: list[str]) -> bytes:
    """The manifest as UTF-8 bytes: ``launch`` is the SCO's start page, ``files`` every file
    of the package that the SCO uses (the manifest and the schemas excepted)."""
    ET.register_namespace("", NS_CP)
    ET.register_namespace("adlcp", NS_ADLCP)
    ET.register_namespace("imsmd", NS_MD)
    ET.register_namespace("xsi", NS_XSI)
    root = ET.Element(f"{{{NS_CP}}}manifest", {
        "identifier": meta.identifier,
        "version": meta.version,
        f"{{{NS_XSI}}}schemaLocation": SCHEMA_LOCATION,
    })
    _metadata(root, meta)
    organizations = ET.SubElement(root, f"{{{NS_CP}}}organizations", {"default": "ORG-1"})
    organization = ET.SubElement(organizations, f"{{{NS_CP}}}organization",
                                 {"identifier": "ORG-1"})
    ET.SubElement(organization, f"{{{NS_CP}}}title").text = meta.title
    item = ET.SubElement(organization, f"{{{NS_CP}}}item",
                         {"identifier": "ITEM-BOEK", "identifierref": "RES-BOEK",
                          "isvisible": "true"})
    ET.SubElement(item, f"{{{NS_CP}}}title").text = meta.title
    resources = ET.SubElement(root, f"{{{NS_CP}}}resources")
    resource = ET.SubElement(resources, f"{{{NS_CP}}}resource", {
        "identifier": "RES-BOEK", "type": "webcontent", "href": launch,
        f"{{{NS_ADLCP}}}scormtype": "sco",
    })
    for name in files:
        ET.SubElement(resource, f"{{{NS_CP}}}file", {"href": name})
    ET.indent(root)
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="utf-8")
