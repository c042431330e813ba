"""The words of the demo notes: per-channel templates written for the demo world.

Each leaf channel (a sub-channel, or a top channel without any) has titles, an opening
line, points and tags with slots (``{dish}``, ``{spot}`` …) that one note fills with one
value each, so a note's title, text, tags and channel agree. ``demo.notes`` combines them.
Tags are the channel's own words (``TAGS``) and the leaf's slot values: a tag template
with ``{city}`` or a slot expands to every value, which is the channel's vocabulary.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Leaf:
    top: str
    titles: tuple[str, ...]
    openers: tuple[str, ...]
    points: tuple[str, ...]
    tags: tuple[str, ...]
    slots: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # "home": the author's city; "away": another of the six; "none": never a place
    place: str = "home"


EMOJI = {  # space-separated: some emoji are two code points
    "fashion": "👗 👠 🧥 ✨ 💫",
    "beauty": "💄 ✨ 🌸 💧 🫧",
    "food": "🍜 😋 🔥 🍰 ☕",
    "travel": "🏞️ 🌊 ✈️ 🌅 📸",
    "fitness": "🏃 💪 🔥 🧘 ✅",
    "tech": "📱 📷 💻 🔋 ✨",
    "home": "🏠 🪴 🛋️ ✨ 🧺",
    "pets": "🐱 🐶 🐾 💛 🥹",
    "study": "📚 ✏️ 💡 📝 ☕",
    "parenting": "👶 🧸 📖 🌈 💛",
    "music": "🎸 🎧 🎵 🎶 ✨",
    "film": "🎬 🍿 📺 ⭐ 🎞️",
    "games": "🎮 🕹️ 👾 ✨ 🔥",
}
CLOSERS = (
    "有问题评论区见～",
    "建议先收藏，用的时候翻出来👇",
    "欢迎补充你们的私藏",
    "下期想看什么告诉我呀",
    "纯个人感受，不是广告",
    "姐妹们冲之前先看看这篇",
    "有同款的朋友来聊聊",
)

_SEASON = ("春天", "初夏", "秋天", "冬天", "换季")
_HEIGHT = ("155", "158", "160", "163", "165", "168")

LEAVES: dict[str, Leaf] = {
    "outfits": Leaf(
        top="fashion",
        slots={
            "item": ("风衣", "针织开衫", "阔腿裤", "牛仔外套", "衬衫裙", "羊毛大衣", "卫衣"),
            "season": _SEASON,
            "height": _HEIGHT,
            "colour": ("奶咖色", "燕麦色", "雾霾蓝", "黑白灰", "焦糖色", "橄榄绿"),
        },
        titles=(
            "{height}小个子的{season}{item}穿搭",
            "{colour}{item}一衣多穿，通勤周末都能穿",
            "{season}被问爆的{item}搭配",
            "一周通勤穿搭｜{colour}系",
            "{item}这样搭显高又显瘦",
        ),
        openers=(
            "身高{height}，{season}最常穿的就是这件{item}。",
            "最近被同事问了好几次{item}链接，统一回复一下。",
            "{colour}真的是{season}最温柔的颜色。",
        ),
        points=(
            "👉 {item}选短款或者塞一角，比例一下就出来了",
            "👉 内搭用同色系，{colour}上下呼应更高级",
            "👉 鞋子选浅口或者小方头，腿会显长",
            "👉 包包用小号的，别抢{item}的风头",
            "👉 配饰只留一件，耳饰或者围巾二选一",
            "👉 面料挑有垂感的，不容易起皱",
            "👉 通勤可以加一件西装外套，周末换成帆布鞋",
        ),
        tags=("穿搭", "ootd", "通勤穿搭", "小个子穿搭", "{item}", "{season}穿搭", "每日穿搭"),
    ),
    "bags-shoes": Leaf(
        top="fashion",
        slots={
            "thing": (
                "托特包",
                "腋下包",
                "乐福鞋",
                "玛丽珍鞋",
                "切尔西靴",
                "帆布鞋",
                "老爹鞋",
                "斜挎包",
            ),
            "colour": ("黑色", "酒红", "焦糖色", "奶白", "深棕"),
        },
        titles=(
            "背了一年的{thing}，说说真实感受",
            "{colour}{thing}百搭到离谱",
            "通勤党的{thing}清单",
            "入手{thing}前一定要看",
        ),
        openers=(
            "这只{colour}{thing}陪我通勤了一整年，来交作业。",
            "纠结了很久的{thing}终于拔草了。",
        ),
        points=(
            "✅ 容量：手机、钱包、折叠伞都塞得下",
            "✅ 重量很轻，挤地铁不累",
            "❌ 浅色容易脏，要常擦",
            "✅ 磨脚只磨了两天，之后很舒服",
            "✅ {colour}配牛仔裤和裙子都好看",
            "✅ 皮质摸起来软，有做旧感",
            "❌ 下雨天要小心，别淋湿",
        ),
        tags=("鞋包", "{thing}", "包包推荐", "鞋子推荐", "穿搭", "通勤包"),
    ),
    "skincare": Leaf(
        top="beauty",
        slots={
            "skin": ("敏感肌", "干皮", "油皮", "混油皮", "痘痘肌"),
            "step": ("洁面", "精华", "面霜", "防晒", "水乳", "面膜"),
            "season": _SEASON,
        },
        titles=(
            "{skin}的{season}护肤清单",
            "{skin}用了一整瓶的{step}，说点真话",
            "{season}护肤步骤越简单越好",
            "{skin}避雷和回购的{step}",
        ),
        openers=("{skin}本肌，{season}最怕泛红起皮。", "今天只聊{step}，都是自己用空的。"),
        points=(
            "💧 {step}先在耳后试用两天再上脸",
            "💧 早上{step}+防晒就够了，别叠太多",
            "💧 晚上洗完脸三分钟内上保湿",
            "💧 刷酸期间一定要做好防晒",
            "💧 {skin}选无香精的会稳一点",
            "💧 毛孔粗大别猛去角质，越搓越大",
            "💧 空调房里放一瓶喷雾，不如直接涂面霜",
        ),
        tags=("护肤", "{skin}", "{step}", "护肤心得", "{season}护肤", "空瓶记"),
    ),
    "makeup": Leaf(
        top="beauty",
        slots={
            "product": ("口红", "腮红", "眼影盘", "粉底液", "眉笔", "气垫"),
            "look": ("伪素颜", "通勤妆", "约会妆", "秋冬妆"),
            "tone": ("黄皮", "白皮", "黄一白", "暖皮"),
        },
        titles=(
            "{tone}友好的{product}试色",
            "十分钟{look}，手残党也能画",
            "{look}｜{product}这样用更自然",
            "{tone}挑{product}不踩雷",
        ),
        openers=(
            "{tone}一枚，试了十几支{product}才找到本命。",
            "每天早上只有十分钟，{look}是我的救星。",
        ),
        points=(
            "💄 {product}少量多次，用手指点开更服帖",
            "💄 {tone}选偏暖的色号提气色",
            "💄 底妆薄一点，{look}才干净",
            "💄 眉毛只补空缺，不要画框",
            "💄 最后用散粉压一下T区，持妆一天",
            "💄 卸妆要用专门的眼唇卸",
        ),
        tags=("彩妆", "{product}", "{look}", "{tone}", "化妆教程", "试色"),
    ),
    "restaurants": Leaf(
        top="food",
        slots={
            "dish": (
                "牛肉面",
                "生煎",
                "烤鸭",
                "火锅",
                "酸菜鱼",
                "早茶",
                "烧烤",
                "云南菜",
                "日料",
                "brunch",
                "小笼包",
            ),
            "price": ("45", "68", "88", "120", "150", "39"),
        },
        titles=(
            "{spot}附近这家{dish}我愿意排队",
            "{city}吃到最满意的{dish}",
            "人均{price}的{dish}，{spot}宝藏小店",
            "{spot}探店｜{dish}真的好吃",
        ),
        openers=(
            "📍{city}·{spot}，人均{price}元。",
            "朋友带我去的{dish}，在{spot}的一条小巷子里。",
        ),
        points=(
            "😋 招牌{dish}一定要点，味道很正",
            "😋 中午十一点半前到不用排队",
            "😋 分量很足，两个人点三个菜刚好",
            "😋 服务很快，上菜不到十分钟",
            "😋 环境一般但是干净",
            "😋 饮品可以跳过，把胃留给{dish}",
            "😋 周末要等位，可以先线上取号",
        ),
        tags=("探店", "美食", "{city}美食", "{city}探店", "{dish}", "好吃的"),
    ),
    "home-cooking": Leaf(
        top="food",
        slots={
            "dish": (
                "番茄炒蛋",
                "可乐鸡翅",
                "红烧肉",
                "清蒸鲈鱼",
                "麻婆豆腐",
                "土豆炖牛腩",
                "蒜蓉西兰花",
                "葱油拌面",
            ),
            "minutes": ("10", "15", "20", "30", "40"),
        },
        titles=(
            "{minutes}分钟搞定{dish}，下饭神器",
            "零失败{dish}，新手照着做",
            "一个人的晚餐：{dish}",
            "妈妈味道的{dish}",
        ),
        openers=(
            "今天的晚饭是{dish}，{minutes}分钟就上桌。",
            "做了很多次{dish}，总结出这个不会失败的方法。",
        ),
        points=(
            "🥢 食材提前切好，下锅就快",
            "🥢 调料：生抽两勺、老抽半勺、糖一小勺",
            "🥢 火候先大后小，收汁时别走开",
            "🥢 出锅前尝一下再决定加不加盐",
            "🥢 一人份刚好一碗米饭",
            "🥢 配一碗紫菜蛋花汤就很满足",
            "🥢 锅一定要烧热再放油，不粘",
        ),
        tags=("家常菜", "{dish}", "美食教程", "下饭菜", "一人食", "做饭"),
        place="none",
    ),
    "baking": Leaf(
        top="food",
        slots={
            "bake": ("戚风蛋糕", "巴斯克", "可颂", "曲奇", "吐司", "肉桂卷", "司康", "贝果"),
            "oven": ("空气炸锅", "小烤箱", "风炉"),
        },
        titles=(
            "{oven}也能做的{bake}",
            "第一次做{bake}就成功了",
            "{bake}配方分享，不塌不裂",
            "周末烘焙｜{bake}",
        ),
        openers=(
            "用家里的{oven}做了{bake}，屋子里全是香味。",
            "失败了三次的{bake}，这次终于成功。",
        ),
        points=(
            "🧁 黄油提前软化，按下去有指印就行",
            "🧁 面粉一定要过筛",
            "🧁 糖可以减到配方的七成，不会太甜",
            "🧁 {oven}要提前预热十分钟",
            "🧁 出炉后倒扣放凉，不会回缩",
            "🧁 密封保存两天，第二天更好吃",
        ),
        tags=("烘焙", "{bake}", "烘焙教程", "甜品", "{oven}食谱", "下午茶"),
        place="none",
    ),
    "domestic-travel": Leaf(
        top="travel",
        slots={
            "days": ("一日", "两天一夜", "三天两夜", "周末"),
            "weather": ("晴天", "下小雨", "阴天", "大太阳"),
        },
        titles=(
            "{city}{days}游，{spot}必去",
            "{days}去{city}，这样安排不累",
            "{spot}拍照攻略，{weather}也出片",
            "一个人的{city}{days}",
        ),
        openers=(
            "这次{days}在{city}，{weather}，走了两万多步。",
            "📍{city}·{spot}，住的地方离得很近。",
        ),
        points=(
            "🗺️ 第一天先去{spot}，早上八点前人少",
            "🗺️ 地铁加共享单车就够了，不用打车",
            "🗺️ 中午在附近找本地人排队的小馆子",
            "🗺️ 傍晚的光最好看，留半小时拍照",
            "🗺️ 住在市中心，晚上散步回去很方便",
            "🗺️ 门票提前一天在小程序预约",
            "🗺️ 鞋子一定要穿舒服的",
        ),
        tags=("旅行", "国内游", "{city}旅行", "{city}攻略", "周末去哪儿", "旅行攻略"),
        place="away",
    ),
    "abroad": Leaf(
        top="travel",
        slots={
            "dest": ("京都", "大阪", "清迈", "首尔", "新加坡", "巴厘岛", "冰岛", "伊斯坦布尔"),
            "days": ("五天", "一周", "十天"),
            "budget": ("六千", "八千", "一万二", "两万"),
        },
        titles=(
            "{dest}{days}自由行，预算{budget}",
            "第一次去{dest}要知道的事",
            "{dest}小众路线，避开人群",
            "{dest}{days}攻略",
        ),
        openers=(
            "刚从{dest}回来，{days}总共花了{budget}左右。",
            "{dest}去了两次，这次终于玩明白了。",
        ),
        points=(
            "✈️ 机票提前两个月订，便宜一半",
            "✈️ 签证材料提前准备，别等到最后",
            "✈️ 交通卡在机场就能买",
            "✈️ 住宿选在地铁站附近，省时间",
            "✈️ 换一点现金，有些小店不能刷卡",
            "✈️ 下载离线地图和翻译",
        ),
        tags=("出境游", "{dest}", "{dest}旅行", "旅行攻略", "自由行"),
        place="none",
    ),
    "running": Leaf(
        top="fitness",
        slots={
            "distance": ("5公里", "10公里", "半马", "全马"),
            "pace": ("6分", "5分半", "7分", "5分"),
        },
        titles=(
            "{spot}晨跑路线推荐",
            "从跑不动到{distance}，我做对了这几件事",
            "配速{pace}的{distance}记录",
            "跑步第一百天",
        ),
        openers=(
            "今天在{spot}跑了{distance}，配速{pace}。",
            "坚持跑步半年，终于完成了{distance}。",
        ),
        points=(
            "🏃 先慢跑，心率控制在能说话的程度",
            "🏃 每周加量不超过一成",
            "🏃 跑前动态拉伸，跑后静态拉伸",
            "🏃 跑鞋一定要试穿，别只看颜值",
            "🏃 {spot}早上空气好，沿路有饮水点",
            "🏃 累了就走，别硬撑",
        ),
        tags=("跑步", "晨跑", "{distance}", "跑步打卡", "运动", "{city}跑步"),
    ),
    "yoga": Leaf(
        top="fitness",
        slots={
            "minutes": ("10", "15", "20", "30"),
            "focus": ("肩颈", "腰背", "髋部", "睡前放松", "体态"),
        },
        titles=(
            "{minutes}分钟{focus}瑜伽，办公室也能练",
            "练瑜伽三个月，{focus}变化很大",
            "新手瑜伽｜{focus}",
            "每天{minutes}分钟的{focus}拉伸",
        ),
        openers=(
            "久坐党的{focus}救星，每天{minutes}分钟。",
            "瑜伽新手，记录一下这段时间的{focus}练习。",
        ),
        points=(
            "🧘 动作慢一点，配合呼吸",
            "🧘 疼就停，不要和别人比柔韧",
            "🧘 垫子选厚一点的，跪姿不硌膝盖",
            "🧘 早上练唤醒身体，晚上练帮助入睡",
            "🧘 猫牛式和婴儿式每天都做",
            "🧘 结束时躺两分钟，真的很放松",
        ),
        tags=("瑜伽", "{focus}", "拉伸", "居家健身", "运动", "瑜伽入门"),
        place="none",
    ),
    "phones": Leaf(
        top="tech",
        slots={
            "feature": ("续航", "拍照", "屏幕", "手感", "系统"),
            "months": ("一个月", "三个月", "半年", "一年"),
        },
        titles=(
            "新手机用了{months}，聊聊{feature}",
            "换机前必看：{feature}最重要",
            "手机{feature}小技巧",
            "{months}真实体验",
        ),
        openers=("新手机用了{months}，最在意的是{feature}。", "不吹不黑，{feature}说点实际的。"),
        points=(
            "📱 重度使用一天一充刚好",
            "📱 关掉不用的后台刷新，{feature}明显好一点",
            "📱 夜景模式要拿稳两秒",
            "📱 手机壳选轻薄的，手感差很多",
            "📱 系统更新后记得重启一次",
            "📱 存储买大一点，照片很占地方",
        ),
        tags=("数码", "手机", "{feature}", "手机推荐", "数码好物"),
        place="none",
    ),
    "photography": Leaf(
        top="tech",
        slots={
            "gear": ("手机", "微单", "胶片机", "定焦镜头"),
            "light": ("逆光", "日落", "阴天", "夜景"),
        },
        titles=(
            "{spot}{light}拍照机位",
            "用{gear}拍{light}的小技巧",
            "{light}也能出片的参数",
            "{city}街拍｜{gear}直出",
        ),
        openers=("在{spot}用{gear}拍的，{light}，都是直出。", "很多人问{light}怎么拍，整理一下。"),
        points=(
            "📷 曝光往下压一点，保住高光",
            "📷 找有前景的位置，画面更有层次",
            "📷 人物放在三分线上",
            "📷 {light}的时候白平衡调暖一点",
            "📷 多走几步换角度，别站在原地拍",
            "📷 {gear}开网格线，水平线拍正",
        ),
        tags=("摄影", "拍照技巧", "{gear}摄影", "{city}拍照", "街拍"),
    ),
    "renovation": Leaf(
        top="home",
        slots={
            "room": ("客厅", "卧室", "厨房", "卫生间", "阳台"),
            "area": ("40", "60", "75", "90"),
            "budget": ("三万", "五万", "八万", "十二万"),
        },
        titles=(
            "{area}平老房改造，{room}前后对比",
            "{room}装修预算{budget}怎么花",
            "装修踩过的坑｜{room}篇",
            "租房党的{room}改造",
        ),
        openers=("{area}平的房子，装修前{room}又暗又乱。", "装修三个月，说说{room}的真实感受。"),
        points=(
            "🏠 插座多留几个，后悔最多的就是这个",
            "🏠 墙面选浅色，小空间显大",
            "🏠 灯光用暖白，别用冷白",
            "🏠 {room}地面选防滑的",
            "🏠 柜子做到顶，不积灰",
            "🏠 总预算{budget}，软装占了三成",
        ),
        tags=("装修", "{room}装修", "旧房改造", "家居", "装修日记"),
        place="none",
    ),
    "organizing": Leaf(
        top="home",
        slots={"place": ("衣柜", "厨房台面", "书桌", "玄关", "冰箱", "浴室柜")},
        titles=(
            "{place}收纳，一个周末搞定",
            "小户型{place}整理前后",
            "{place}收纳好物，便宜好用",
            "断舍离之后的{place}",
        ),
        openers=(
            "周末花了半天整理{place}，清出来两大袋东西。",
            "{place}终于不乱了，分享一下方法。",
        ),
        points=(
            "🧺 先全部拿出来，再决定留什么",
            "🧺 同类放一起，贴上标签",
            "🧺 常用的放在伸手就能拿到的高度",
            "🧺 收纳盒选同一个颜色，看起来整齐",
            "🧺 一年没用过的东西就可以送走",
            "🧺 每周五分钟复位，不会再乱",
        ),
        tags=("收纳", "{place}收纳", "整理", "断舍离", "家居"),
        place="none",
    ),
    "cats": Leaf(
        top="pets",
        slots={
            "cat": ("橘猫", "狸花", "布偶", "英短", "三花"),
            "name": ("馒头", "煤球", "可乐", "年糕", "橙子", "汤圆"),
        },
        titles=(
            "我家{cat}{name}的一天",
            "{name}又在干坏事",
            "养{cat}一年的真实感受",
            "{cat}{name}成长记",
        ),
        openers=("家里的{cat}叫{name}，今天两岁了。", "{cat}{name}今天又把杯子推到地上了。"),
        points=(
            "🐾 早上六点准时踩脸叫早饭",
            "🐾 最爱的玩具是一根逗猫棒",
            "🐾 猫砂换成豆腐砂，几乎不带出来",
            "🐾 每天定时定量喂，不胖了",
            "🐾 驱虫疫苗按时做",
            "🐾 晚上一定要睡在我枕头边",
        ),
        tags=("猫咪", "{cat}", "铲屎官", "猫咪日常", "萌宠"),
        place="none",
    ),
    "dogs": Leaf(
        top="pets",
        slots={
            "dog": ("柯基", "柴犬", "金毛", "边牧", "泰迪", "比熊"),
            "name": ("旺财", "豆包", "七喜", "团团", "花卷"),
        },
        titles=(
            "{dog}{name}第一次去{spot}",
            "养{dog}要知道的事",
            "{name}的遛狗日记",
            "{dog}出门装备清单",
        ),
        openers=("带{name}去了{spot}，它开心坏了。", "{dog}{name}今年三岁，分享一些养狗经验。"),
        points=(
            "🐶 出门一定牵绳，带好拾便袋",
            "🐶 夏天避开中午遛狗，地面太烫",
            "🐶 {dog}要每天多运动",
            "🐶 零食用来训练，别当饭吃",
            "🐶 洗澡一个月一两次就够",
            "🐶 认识了好多一起遛弯的狗友",
        ),
        tags=("狗狗", "{dog}", "遛狗", "萌宠", "养狗经验"),
    ),
    "exams": Leaf(
        top="study",
        slots={
            "exam": ("考研", "雅思", "四六级", "教资", "法考", "CPA"),
            "months": ("三个月", "半年", "一年"),
        },
        titles=(
            "{exam}{months}上岸经验",
            "{exam}备考时间表",
            "二战{exam}，我改了这几件事",
            "{exam}资料怎么选",
        ),
        openers=(
            "{exam}备考了{months}，终于上岸，写给后来的人。",
            "很多人问{exam}怎么安排时间，统一回复。",
        ),
        points=(
            "📝 每天固定时间学习，比时长更重要",
            "📝 真题至少刷两遍",
            "📝 错题本只记自己真的不会的",
            "📝 每周留半天休息，不然坚持不下去",
            "📝 早上背诵，下午做题，晚上复盘",
            "📝 找一个研友互相监督",
        ),
        tags=("学习", "{exam}", "{exam}备考", "上岸经验", "学习方法"),
        place="none",
    ),
    "career": Leaf(
        top="study",
        slots={
            "topic": ("面试", "周报", "跳槽", "时间管理", "述职"),
            "years": ("一年", "三年", "五年"),
        },
        titles=(
            "工作{years}才懂的{topic}技巧",
            "{topic}这样准备，成功率高很多",
            "职场新人的{topic}清单",
            "聊聊{topic}",
        ),
        openers=(
            "工作{years}，踩过很多{topic}的坑。",
            "最近在帮新同事准备{topic}，整理了一份清单。",
        ),
        points=(
            "💼 先说结论，再讲过程",
            "💼 用数字说话，别只写做了什么",
            "💼 提前一天把材料过一遍",
            "💼 不会的就说不会，然后说怎么补",
            "💼 每天下班前写三件明天要做的事",
            "💼 会议有纪要，事情有人跟",
        ),
        tags=("职场", "{topic}", "职场干货", "打工人", "职场成长"),
        place="none",
    ),
    "parenting": Leaf(
        top="parenting",
        slots={
            "age": ("六个月", "一岁", "两岁", "三岁"),
            "thing": ("辅食", "绘本", "睡觉", "出游", "玩具"),
        },
        titles=(
            "{age}宝宝的{thing}清单",
            "{thing}经验分享｜{age}",
            "带{age}娃去{spot}",
            "新手妈妈的{thing}心得",
        ),
        openers=("宝宝{age}了，说说我们家{thing}的经验。", "周末带{age}的娃出门，提前做了功课。"),
        points=(
            "🧸 每个宝宝节奏不一样，别焦虑",
            "🧸 新东西一次只加一样",
            "🧸 固定作息，晚上更好睡",
            "🧸 出门带一套换洗衣服",
            "🧸 绘本挑大图少字的",
            "🧸 多陪伴比贵的玩具有用",
        ),
        tags=("母婴", "育儿", "{thing}", "{age}宝宝", "新手妈妈"),
    ),
    "music": Leaf(
        top="music",
        slots={
            "mood": ("下雨天", "通勤路上", "深夜", "周末早晨", "跑步时"),
            "instrument": ("吉他", "尤克里里", "钢琴", "口琴"),
        },
        titles=(
            "{mood}单曲循环的歌单",
            "自学{instrument}半年的变化",
            "{mood}适合听的十首歌",
            "{instrument}入门不劝退",
        ),
        openers=("{mood}听歌是一天里最放松的时候。", "零基础学{instrument}，记录一下。"),
        points=(
            "🎵 歌单里有民谣也有一点爵士",
            "🎵 每天练二十分钟就够",
            "🎵 先学简单的和弦，能弹一首歌最有动力",
            "🎵 耳机开到一半音量，保护耳朵",
            "🎵 录下来自己听，进步最快",
            "🎵 欢迎在评论区推荐你的私藏",
        ),
        tags=("音乐", "歌单", "{instrument}", "音乐推荐", "{mood}"),
        place="none",
    ),
    "film": Leaf(
        top="film",
        slots={
            "genre": ("纪录片", "悬疑剧", "动画电影", "老电影", "治愈系电影"),
            "when": ("周末", "假期", "下班后", "一个人"),
        },
        titles=(
            "{when}适合看的{genre}",
            "一口气看完的{genre}",
            "被低估的{genre}推荐",
            "{genre}片单｜{when}",
        ),
        openers=("{when}窝在沙发上看完了这几部{genre}。", "这几部{genre}我看了不止一遍。"),
        points=(
            "🎬 节奏慢但是后劲很大",
            "🎬 配乐特别好，看完去找了原声",
            "🎬 不剧透，只说很值得",
            "🎬 适合一个人安静地看",
            "🎬 豆瓣评分不高但是我很喜欢",
            "🎬 看完想去取景地打卡",
        ),
        tags=("影视", "{genre}", "电影推荐", "追剧", "片单"),
        place="none",
    ),
    "games": Leaf(
        top="games",
        slots={
            "game": ("塞尔达", "动物森友会", "星露谷物语", "双人成行", "空洞骑士", "原神"),
            "hours": ("30", "60", "100", "200"),
        },
        titles=(
            "{game}玩了{hours}小时的感受",
            "{game}新手少走弯路",
            "周末和朋友玩{game}",
            "{game}隐藏细节",
        ),
        openers=("{game}玩了{hours}小时，还舍不得通关。", "给刚入坑{game}的朋友几条建议。"),
        points=(
            "🎮 前期别急着推主线，多逛逛",
            "🎮 和朋友一起玩快乐加倍",
            "🎮 存档多留几个",
            "🎮 卡关了就去做支线，回来就会了",
            "🎮 配乐真的很好听",
            "🎮 每天玩一小时刚刚好",
        ),
        tags=("游戏", "{game}", "游戏推荐", "switch", "独立游戏"),
        place="none",
    ),
}

# Every channel slug a post can be in (leaves, and the top channels) to its leaves.
TOP_OF_LEAF = {slug: leaf.top for slug, leaf in LEAVES.items()}
