"""The CJK typefaces generated forms are set in: Debian font packages covering the
宋/明, 仿宋, 楷 and 黑 styles that government paper uses.

Each renderer names a face its own way: LibreOffice and WeasyPrint by fontconfig
family, reportlab by file (and only TrueType outlines: the Noto CJK faces are CFF, so
reportlab never gets them). A face that lacks a character (cwTeX 仿宋 is a
traditional-Chinese face: a third of simplified characters are missing) falls back
to ``FALLBACK`` for that character, as Word and LibreOffice do.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path


@dataclass(frozen=True)
class Face:
    key: str          # short name in reports
    family: str       # fontconfig family
    style: str        # 宋 (明), 仿宋, 楷 or 黑
    path: str
    index: int = 0    # face within a .ttc
    truetype: bool = True
    package: str = ""

    def installed(self) -> bool:
        return Path(self.path).exists()


FACES: tuple[Face, ...] = (
    Face("zenhei", "WenQuanYi Zen Hei", "黑", "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
         package="fonts-wqy-zenhei"),
    Face("microhei", "WenQuanYi Micro Hei", "黑", "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
         package="fonts-wqy-microhei"),
    Face("droid", "Droid Sans Fallback", "黑", "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
         package="fonts-droid-fallback"),
    Face("notosans", "Noto Sans CJK SC", "黑", "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
         index=2, truetype=False, package="fonts-noto-cjk"),
    Face("notoserif", "Noto Serif CJK SC", "宋", "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc",
         index=2, truetype=False, package="fonts-noto-cjk"),
    Face("sungti", "AR PL SungtiL GB", "宋", "/usr/share/fonts/truetype/arphic-gbsn00lp/gbsn00lp.ttf",
         package="fonts-arphic-gbsn00lp"),
    Face("uming", "AR PL UMing CN", "宋", "/usr/share/fonts/truetype/arphic/uming.ttc",
         package="fonts-arphic-uming"),
    Face("fangsong", "cwTeXFangSong", "仿宋", "/usr/share/fonts/truetype/cwtex/cwfs.ttf",
         package="fonts-cwtex-fs"),
    Face("kaiti", "AR PL KaitiM GB", "楷", "/usr/share/fonts/truetype/arphic-gkai00mp/gkai00mp.ttf",
         package="fonts-arphic-gkai00mp"),
    Face("ukai", "AR PL UKai CN", "楷", "/usr/share/fonts/truetype/arphic/ukai.ttc",
         package="fonts-arphic-ukai"),
    Face("wenkai", "LXGW WenKai", "楷", "/usr/share/fonts/truetype/lxgw-wenkai/LXGWWenKai-Regular.ttf",
         package="fonts-lxgw-wenkai"),
)
BY_KEY = {f.key: f for f in FACES}
FALLBACK = BY_KEY["uming"]  # has every character the forms use, symbols too (≦ ≧ ① ‰)
PACKAGES = tuple(sorted({f.package for f in FACES}))


def face(key: str) -> Face:
    try:
        return BY_KEY[key]
    except KeyError:
        raise KeyError(f"unknown typeface {key!r}; known: {', '.join(BY_KEY)}") from None


@cache
def charset(key: str) -> frozenset[int]:
    """Code points the face has a glyph for."""
    from fontTools.ttLib import TTFont

    f = face(key)
    font = TTFont(f.path, fontNumber=f.index, lazy=True)
    return frozenset(font.getBestCmap())


def missing(key: str, text: str) -> set[str]:
    have = charset(key)
    return {ch for ch in text if not ch.isspace() and ord(ch) not in have}
