"""The channels of the 发现 page: (slug, 中文, English, [sub-channels]).

Used by the data migration that seeds them and by the demo world. Editing a channel
afterwards happens in the admin; this list is the initial tree.
"""

CHANNELS = [
    ("fashion", "时尚", "Fashion", [("outfits", "穿搭", "Outfits"), ("bags-shoes", "鞋包", "Bags & shoes")]),
    ("beauty", "美妆", "Beauty", [("skincare", "护肤", "Skincare"), ("makeup", "彩妆", "Makeup")]),
    ("food", "美食", "Food", [("restaurants", "探店", "Restaurants"), ("home-cooking", "家常菜", "Home cooking"), ("baking", "烘焙", "Baking")]),
    ("travel", "旅行", "Travel", [("domestic-travel", "国内游", "Domestic trips"), ("abroad", "出境游", "Abroad")]),
    ("fitness", "运动健身", "Fitness", [("running", "跑步", "Running"), ("yoga", "瑜伽", "Yoga")]),
    ("tech", "科技数码", "Tech", [("phones", "手机", "Phones"), ("photography", "摄影", "Photography")]),
    ("home", "家居", "Home & living", [("renovation", "装修", "Renovation"), ("organizing", "收纳", "Organizing")]),
    ("pets", "萌宠", "Pets", [("cats", "猫咪", "Cats"), ("dogs", "狗狗", "Dogs")]),
    ("study", "学习职场", "Study & career", [("exams", "考试", "Exams"), ("career", "职场", "Career")]),
    ("parenting", "母婴", "Parenting", []),
    ("music", "音乐", "Music", []),
    ("film", "影视", "Film & TV", []),
    ("games", "游戏", "Games", []),
]


def seed_channels(channel_model) -> None:
    """Create or update the channel tree above (idempotent)."""
    for position, (slug, zh, en, children) in enumerate(CHANNELS):
        parent, _ = channel_model.objects.update_or_create(
            slug=slug, defaults={"name_zh": zh, "name_en": en, "position": position, "parent": None}
        )
        for child_position, (child_slug, child_zh, child_en) in enumerate(children):
            channel_model.objects.update_or_create(
                slug=child_slug,
                defaults={
                    "name_zh": child_zh,
                    "name_en": child_en,
                    "position": child_position,
                    "parent": parent,
                },
            )
