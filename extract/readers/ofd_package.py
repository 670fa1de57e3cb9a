"""OFD package (GB/T 33190): its XML read safely by local name, its members found as declared,
and its documents listed with their pages, templates, resources and annotations.

One job: from a ZIP file to the list of pages to read (:class:`OfdDocument`), without
looking at what a page draws (that is :mod:`extract.readers.ofd_page`).

* XML members are parsed with a secure parser (no entities, no network); a DTD is
  refused; bytes in GB18030/GBK whose declaration says otherwise are decoded anyway;
  elements are matched by local name, so any namespace (or none) reads alike.
* Members are looked up in any case; references are absolute (``/Doc_0/…``) or
  relative to the file that names them, with Chinese folder names, and names stored
  in GBK without the UTF-8 flag are decoded; an encrypted member or an
  ``Encryptions.xml`` raises EncryptedFile.
* ``OFD.xml`` → ``DocBody/DocRoot`` → ``Document.xml``: pages and their sizes,
  ``PublicRes``/``DocumentRes`` (:class:`Resources`), template pages, annotations.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from lxml import etree

from extract.errors import EncryptedFile, TooLarge, UnreadableFile, too_many_pages
from extract.safety import check_xml_entities

#: Page size when neither the page nor the document declares one (A4, millimetres).
DEFAULT_PAGE_MM = (210.0, 297.0)
#: Pages above this are refused (an archive box, not a bulletin) — as for PDF.
MAX_PAGES = 2000
#: Largest uncompressed XML or image member read (bytes); check_zip bounds the total.
MAX_MEMBER_BYTES = 200 * 1024 * 1024
#: Markers of a DTD (never needed in OFD XML) in the encodings an XML member may use.
DOCTYPE_MARKERS = (b"<!doctype", "<!DOCTYPE".encode("utf-16-le"), "<!DOCTYPE".encode("utf-16-be"))
DTD_ADVICE = "文件中的 XML 带有 DTD 声明（OFD 不需要，可能是恶意构造的文件），已拒绝处理；请用原软件打开后另存一份再试。"
#: Secure XML parser: no DTD, no entity expansion, no network, no huge trees.
XML_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                             huge_tree=False, remove_comments=True, remove_pis=True)


# --- XML by local name --------------------------------------------------------------

_LOCAL_NAMES: dict[str, str] = {}


def local(tag: Any) -> str:
    """An element's name without its namespace ('' for comments and entities)."""
    name = _LOCAL_NAMES.get(tag) if isinstance(tag, str) else ""
    if name is None:
        name = _LOCAL_NAMES[tag] = tag.rpartition("}")[2]
        if len(_LOCAL_NAMES) > 10_000:  # a file inventing names: keep the cache bounded
            _LOCAL_NAMES.clear()
    return name


def child(el: Any, name: str) -> Any:
    for c in el:
        if local(c.tag) == name:
            return c
    return None


def children(el: Any, name: str) -> Iterator[Any]:
    return (c for c in el if local(c.tag) == name)


def child_text(el: Any, name: str) -> str | None:
    c = child(el, name)
    if c is None or c.text is None:
        return None
    return c.text.strip() or None


def numbers(value: str | None) -> list[float]:
    """Space-separated numbers (Boundary, CTM, PhysicalBox); [] when malformed."""
    if not value:
        return []
    try:
        return [float(v) for v in value.split()]
    except ValueError:
        return []


# --- the package ------------------------------------------------------------------------

def _member_name(info: zipfile.ZipInfo) -> str:
    """A member's name; names stored in GBK without the UTF-8 flag (Windows tools) decoded."""
    name = info.filename
    if info.flag_bits & 0x800 or name.isascii():
        return name
    try:
        raw = name.encode("cp437")
    except UnicodeEncodeError:
        return name
    for encoding in ("utf-8", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return name


def _normalize(path: str) -> str:
    path = posixpath.normpath("/" + path.replace("\\", "/")).lstrip("/")
    return "" if path == "." else path


class Package:
    """The ZIP package: members looked up case-insensitively, paths resolved as declared."""

    def __init__(self, zf: zipfile.ZipFile) -> None:
        self.zf = zf
        self.index: dict[str, zipfile.ZipInfo] = {}
        for info in zf.infolist():
            if info.is_dir():
                continue
            if info.flag_bits & 0x1:
                raise EncryptedFile("OFD 压缩包中的文件已加密")
            self.index.setdefault(_normalize(_member_name(info)).casefold(), info)

    def find(self, path: str) -> str | None:
        """The member at ``path`` (package-absolute, any case), or None."""
        key = _normalize(path).casefold()
        return key if key in self.index else None

    def resolve(self, ref: str | None, *bases: str) -> str | None:
        """The member a reference names: absolute from the package root, else relative to each
        base folder in turn (the referring file's folder first), then to the root."""
        if not ref or not ref.strip():
            return None
        ref = ref.strip().replace("\\", "/")
        if ref.startswith("/"):
            return self.find(ref)
        for base in (*bases, ""):
            found = self.find(posixpath.join(base, ref))
            if found is not None:
                return found
        return None

    def names(self) -> Iterator[str]:
        return iter(self.index)

    def read(self, key: str) -> bytes:
        info = self.index[key]
        if info.file_size > MAX_MEMBER_BYTES:
            raise TooLarge(f"OFD 内部文件 {info.filename} 解压后超过 {MAX_MEMBER_BYTES // 1024 // 1024} MB")
        return self.zf.read(info)

    def xml(self, key: str) -> Any:
        """Parse an XML member safely: no entities, no DTD (refused), any declared encoding."""
        data = self.read(key)
        check_xml_entities(data)
        head = data[:4096]
        if DOCTYPE_MARKERS[0] in head.lower() or any(m in head for m in DOCTYPE_MARKERS[1:]):
            raise UnreadableFile(f"{self.index[key].filename} 含有 <!DOCTYPE>", advice=DTD_ADVICE)
        try:
            root = etree.fromstring(data, XML_PARSER)
        except etree.XMLSyntaxError as exc:
            root = _parse_mislabelled(data, exc)
        if root.getroottree().docinfo.doctype:
            raise UnreadableFile(f"{self.index[key].filename} 含有 <!DOCTYPE>", advice=DTD_ADVICE)
        return root


XML_DECLARATION = re.compile(rb"^\s*<\?xml[^>]*\?>")


def _parse_mislabelled(data: bytes, error: etree.XMLSyntaxError) -> Any:
    """XML whose bytes are GB18030/GBK but whose declaration says otherwise (or nothing)."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = XML_DECLARATION.sub(b"", data, count=1).decode(encoding)
        except UnicodeDecodeError:
            continue
        try:
            return etree.fromstring(text, XML_PARSER)
        except etree.XMLSyntaxError:
            break
    raise error


def dirname(key: str) -> str:
    return posixpath.dirname(key)


# --- resources ----------------------------------------------------------------------------

@dataclass
class Resources:
    """Composite graphic units and multimedia files, by ID (PublicRes, DocumentRes, PageRes)."""

    units: dict[str, Any] = field(default_factory=dict)  # ID → CompositeGraphicUnit element
    media: dict[str, str] = field(default_factory=dict)  # ID → package member of the file

    def load(self, pkg: Package, key: str | None) -> None:
        if key is None:
            return
        root = pkg.xml(key)
        base_loc = (root.get("BaseLoc") or "").strip().replace("\\", "/")
        base = base_loc if base_loc.startswith("/") else posixpath.join(dirname(key), base_loc)
        for group in root:
            name = local(group.tag)
            if name == "CompositeGraphicUnits":
                for unit in children(group, "CompositeGraphicUnit"):
                    if unit.get("ID"):
                        self.units.setdefault(unit.get("ID"), unit)
            elif name == "MultiMedias":
                for media in children(group, "MultiMedia"):
                    target = pkg.resolve(child_text(media, "MediaFile"), base, dirname(key))
                    if media.get("ID") and target is not None:
                        self.media.setdefault(media.get("ID"), target)


# --- the document ---------------------------------------------------------------------------

@dataclass
class PageInfo:
    key: str  # package member of the page's Content.xml
    page_id: str | None
    size_mm: tuple[float, float]


@dataclass
class OfdDocument:
    pkg: Package
    doc_key: str  # Document.xml
    pages: list[PageInfo]
    res: Resources
    annotations: dict[str, list[str]]  # page ID → annotation files
    templates: dict[str, str]  # template page ID → package member of its Content.xml
    title: str | None = None
    creation_date: str | None = None
    #: what each template page draws (an :class:`extract.readers.ofd_page.PageScan`), read
    #: once for all the pages that use it
    template_scans: dict[str, Any] = field(default_factory=dict)


def physical_size(el: Any, default: tuple[float, float]) -> tuple[float, float]:
    area = child(el, "Area") if el is not None and local(el.tag) == "Page" else el
    box = numbers(child_text(area, "PhysicalBox")) if area is not None else []
    if len(box) == 4 and box[2] > 0 and box[3] > 0:
        return box[2], box[3]
    return default


def open_package(pkg: Package) -> list[OfdDocument]:
    """OFD.xml → every DocBody's Document.xml, its pages, templates, resources, annotations."""
    entry = pkg.find("OFD.xml")
    if entry is None:
        raise UnreadableFile("OFD 包中没有 OFD.xml")
    if any(posixpath.basename(n) == "encryptions.xml" for n in pkg.names()):
        raise EncryptedFile("OFD 包含加密描述文件 Encryptions.xml")
    root = pkg.xml(entry)
    if any(local(el.tag) in ("Encryptions", "Encryption") for el in root.iter()):
        raise EncryptedFile("OFD.xml 声明了加密")
    docs = []
    for body in children(root, "DocBody"):
        doc_key = pkg.resolve(child_text(body, "DocRoot"))
        if doc_key is None:
            continue
        info = child(body, "DocInfo")
        doc = read_document(pkg, doc_key)
        if info is not None:
            doc.title = child_text(info, "Title")
            doc.creation_date = child_text(info, "CreationDate")
        docs.append(doc)
    if not docs:
        raise UnreadableFile("OFD.xml 没有指向任何文档（DocBody/DocRoot）")
    return docs


def read_document(pkg: Package, doc_key: str) -> OfdDocument:
    root = pkg.xml(doc_key)
    base = dirname(doc_key)
    common = child(root, "CommonData")
    default_size = DEFAULT_PAGE_MM
    res = Resources()
    templates: dict[str, str] = {}
    if common is not None:
        default_size = physical_size(child(common, "PageArea"), DEFAULT_PAGE_MM)
        for el in common:
            name = local(el.tag)
            if name in ("PublicRes", "DocumentRes"):
                res.load(pkg, pkg.resolve(el.text, base))
            elif name == "TemplatePage" and el.get("ID"):
                target = pkg.resolve(el.get("BaseLoc"), base)
                if target is not None:
                    templates[el.get("ID")] = target
    pages: list[PageInfo] = []
    pages_el = child(root, "Pages")
    for page in children(pages_el, "Page") if pages_el is not None else ():
        key = pkg.resolve(page.get("BaseLoc"), base)
        if key is None:
            raise UnreadableFile(f"OFD 页面文件缺失：{page.get('BaseLoc')}")
        pages.append(PageInfo(key, page.get("ID"), default_size))
        if len(pages) > MAX_PAGES:
            raise too_many_pages("OFD", MAX_PAGES)
    annotations: dict[str, list[str]] = {}
    annots_key = pkg.resolve(child_text(root, "Annotations"), base)
    if annots_key is not None:
        for page in children(pkg.xml(annots_key), "Page"):
            target = pkg.resolve(child_text(page, "FileLoc"), dirname(annots_key), base)
            if target is not None and page.get("PageID"):
                annotations.setdefault(page.get("PageID"), []).append(target)
    return OfdDocument(pkg, doc_key, pages, res, annotations, templates)
