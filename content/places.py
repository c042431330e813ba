"""Known places: the neighbourhoods and landmarks of six big cities with their
coordinates (WGS-84, rounded to ~100 m), and a small geocoder over them.

A place typed on the publish form without the browser's location is looked up here
(``geocode``): a known one gives the post its coordinates, so it shows in 附近 Nearby;
an unknown one is kept as text only. The demo world (``demo.places``) places its posts
at these same spots.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Spot:
    name: str
    lat: float
    lng: float
    kind: str  # "street", "park", "mall", "scenic", "district"


@dataclass(frozen=True)
class City:
    name: str  # 上海
    lat: float
    lng: float
    # (south, west, north, east): the urban area, generous enough for its suburbs' sights
    bounds: tuple[float, float, float, float]
    spots: tuple[Spot, ...]

    def contains(self, lat: float, lng: float) -> bool:
        south, west, north, east = self.bounds
        return south <= lat <= north and west <= lng <= east


def _spots(*rows: tuple[str, float, float, str]) -> tuple[Spot, ...]:
    return tuple(Spot(*row) for row in rows)


CITIES: tuple[City, ...] = (
    City(
        "上海",
        31.2304,
        121.4737,
        (30.90, 121.10, 31.50, 121.90),
        _spots(
            ("武康路", 31.2076, 121.4368, "street"),
            ("安福路", 31.2143, 121.4450, "street"),
            ("外滩", 31.2400, 121.4900, "scenic"),
            ("新天地", 31.2190, 121.4750, "mall"),
            ("静安寺", 31.2236, 121.4453, "district"),
            ("徐家汇", 31.1950, 121.4370, "district"),
            ("陆家嘴", 31.2397, 121.4998, "district"),
            ("田子坊", 31.2100, 121.4690, "street"),
            ("愚园路", 31.2230, 121.4320, "street"),
            ("西岸美术馆", 31.1700, 121.4600, "scenic"),
            ("世纪公园", 31.2170, 121.5500, "park"),
            ("五角场", 31.2990, 121.5140, "district"),
            ("豫园", 31.2270, 121.4920, "scenic"),
            ("滨江大道", 31.2350, 121.5050, "park"),
        ),
    ),
    City(
        "北京",
        39.9042,
        116.4074,
        (39.70, 116.10, 40.10, 116.70),
        _spots(
            ("三里屯", 39.9370, 116.4550, "district"),
            ("南锣鼓巷", 39.9370, 116.4030, "street"),
            ("前门大街", 39.8960, 116.3980, "street"),
            ("鼓楼", 39.9480, 116.3940, "scenic"),
            ("后海", 39.9430, 116.3830, "scenic"),
            ("国贸", 39.9090, 116.4600, "district"),
            ("798艺术区", 39.9840, 116.4950, "scenic"),
            ("五道口", 39.9930, 116.3380, "district"),
            ("朝阳公园", 39.9440, 116.4800, "park"),
            ("颐和园", 39.9990, 116.2750, "scenic"),
            ("望京", 39.9960, 116.4700, "district"),
            ("天坛", 39.8820, 116.4060, "park"),
            ("亮马河", 39.9490, 116.4620, "park"),
        ),
    ),
    City(
        "杭州",
        30.2741,
        120.1551,
        (30.05, 119.95, 30.45, 120.45),
        _spots(
            ("西湖", 30.2460, 120.1450, "scenic"),
            ("湖滨", 30.2580, 120.1640, "mall"),
            ("河坊街", 30.2420, 120.1700, "street"),
            ("龙井村", 30.2300, 120.1200, "scenic"),
            ("灵隐寺", 30.2410, 120.1000, "scenic"),
            ("西溪湿地", 30.2690, 120.0600, "park"),
            ("滨江", 30.2080, 120.2110, "district"),
            ("武林广场", 30.2750, 120.1650, "district"),
            ("小河直街", 30.3100, 120.1450, "street"),
            ("钱江新城", 30.2470, 120.2100, "district"),
            ("良渚", 30.3750, 120.0300, "district"),
            ("满觉陇", 30.2300, 120.1400, "scenic"),
        ),
    ),
    City(
        "成都",
        30.5728,
        104.0668,
        (30.40, 103.85, 30.85, 104.30),
        _spots(
            ("太古里", 30.6550, 104.0830, "mall"),
            ("春熙路", 30.6570, 104.0800, "street"),
            ("宽窄巷子", 30.6640, 104.0530, "street"),
            ("玉林路", 30.6340, 104.0520, "street"),
            ("人民公园", 30.6590, 104.0570, "park"),
            ("锦里", 30.6450, 104.0480, "street"),
            ("东郊记忆", 30.6720, 104.1260, "scenic"),
            ("九眼桥", 30.6410, 104.0870, "district"),
            ("大熊猫基地", 30.7350, 104.1450, "scenic"),
            ("麓湖", 30.4850, 104.0900, "park"),
            ("建设路", 30.6770, 104.1030, "street"),
            ("桐梓林", 30.6200, 104.0700, "district"),
        ),
    ),
    City(
        "广州",
        23.1291,
        113.2644,
        (22.90, 113.10, 23.40, 113.60),
        _spots(
            ("天河路", 23.1320, 113.3230, "mall"),
            ("珠江新城", 23.1190, 113.3250, "district"),
            ("北京路", 23.1260, 113.2700, "street"),
            ("上下九", 23.1170, 113.2450, "street"),
            ("沙面", 23.1080, 113.2430, "scenic"),
            ("东山口", 23.1250, 113.2970, "street"),
            ("永庆坊", 23.1220, 113.2440, "scenic"),
            ("广州塔", 23.1060, 113.3240, "scenic"),
            ("白云山", 23.1700, 113.2950, "park"),
            ("海心沙", 23.1140, 113.3250, "park"),
            ("琶洲", 23.1000, 113.3650, "district"),
            ("花城广场", 23.1180, 113.3240, "park"),
        ),
    ),
    City(
        "深圳",
        22.5431,
        114.0579,
        (22.40, 113.75, 22.80, 114.40),
        _spots(
            ("南山", 22.5330, 113.9300, "district"),
            ("深圳湾公园", 22.5050, 113.9500, "park"),
            ("华侨城", 22.5380, 113.9850, "district"),
            ("福田CBD", 22.5380, 114.0570, "district"),
            ("东门老街", 22.5470, 114.1200, "street"),
            ("海上世界", 22.4830, 113.9150, "mall"),
            ("蛇口", 22.4870, 113.9100, "district"),
            ("莲花山", 22.5560, 114.0560, "park"),
            ("大梅沙", 22.5960, 114.3050, "scenic"),
            ("华强北", 22.5450, 114.0870, "street"),
            ("科技园", 22.5400, 113.9500, "district"),
            ("甘坑古镇", 22.6500, 114.1100, "scenic"),
        ),
    ),
)
CITY_BY_NAME = {city.name: city for city in CITIES}


# What may sit between a city and a spot in a typed place: "上海·武康路", "上海 武康路",
# "上海-武康路", "上海，武康路" or nothing ("上海武康路").
_SEPARATORS_RE = re.compile(r"[\s·・•\-—,，、/|]+")


@dataclass(frozen=True)
class Place:
    """A known place a typed name was matched to."""

    name: str  # the label a post shows: "上海·武康路", or a city's name alone
    lat: float
    lng: float


def place_name(*, city: City, spot: Spot) -> str:
    """Return the label a post shows for a spot: ``上海·武康路``."""
    return f"{city.name}·{spot.name}"


def _key(text: str) -> str:
    return _SEPARATORS_RE.sub("", text or "").casefold()


def _index() -> dict[str, Place]:
    """Every way a known place may be typed (spot, city + spot, city), to the place."""
    index: dict[str, Place] = {}
    for city in CITIES:
        index[_key(city.name)] = Place(city.name, city.lat, city.lng)
        for spot in city.spots:
            place = Place(place_name(city=city, spot=spot), spot.lat, spot.lng)
            index.setdefault(_key(spot.name), place)  # a spot's name alone: its first city
            index[_key(city.name + spot.name)] = place
    return index


_INDEX = _index()


def known_place_names() -> list[str]:
    """The cities' and spots' names (jieba keeps them whole when it splits a text)."""
    return [name for city in CITIES for name in (city.name, *(spot.name for spot in city.spots))]


def geocode(text: str) -> Place | None:
    """Return the known place ``text`` names ("武康路", "上海·武康路", "上海 武康路",
    "上海"), or None. The whole text must name it: "武康路的咖啡店" is not geocoded,
    because a guess that puts a post in the wrong street is worse than none."""
    return _INDEX.get(_key(text)) if text else None
