"""Closed-class vocabulary of the genre: title grammar, surnames, organisation heads, cue verbs.

These are grammar, not gazetteers of particular people or places: a title is
[unit][organ][post], an organisation is [name][head noun], a campaign is a
quoted name plus a head noun.
"""

from __future__ import annotations

import re

HAN = r"\u4e00-\u9fff"

# --- Titles: [organ]?[post], chained with 、 -------------------------------------------
PARTY_ORGANS = ["党工委", "党委", "党总支", "党支部", "党组"]
COMMITTEE_ORGANS = ["省委", "市委", "县委", "区委", "州委", "旗委", "镇委", "乡委"]
OTHER_ORGANS = [
    "纪委监委", "纪工委", "纪委", "监委", "政法委", "人大常委会", "人大", "政协", "人民政府", "政府",
    "管委会", "组织部", "宣传部", "统战部", "办公室", "村委会", "居委会", "工委", "团委", "妇联", "工会",
]
ORGANS = PARTY_ORGANS + COMMITTEE_ORGANS + OTHER_ORGANS
POST_BASES = [
    "书记", "主任委员", "主任", "市长", "县长", "区长", "镇长", "乡长", "州长", "省长", "旗长", "主席",
    "局长", "部长", "处长", "科长", "所长", "站长", "队长", "院长", "校长", "董事长", "总经理", "经理",
    "社长", "村长", "组长", "会长", "理事长", "行长", "厂长", "馆长", "台长", "秘书长", "检察长",
    "庭长", "政委", "总监", "总裁", "常委", "委员", "总工程师", "主任科员", "指导员",
]
POST = r"(?:第一书记|(?:常务|专职|执行)?副?(?:" + "|".join(sorted(POST_BASES, key=len, reverse=True)) + "))"
ORGAN = r"(?:" + "|".join(sorted(ORGANS, key=len, reverse=True)) + ")"
ONE_TITLE = r"(?:[村镇乡]?" + ORGAN + r")?" + POST
TITLE_CHAIN = ONE_TITLE + r"(?:、" + ONE_TITLE + r")*"

# Posts that make the holder the party secretary of the unit (guidelines: SECRETARY_OF).
SECRETARY_POSTS = {"书记", "第一书记"}
SECRETARY_ORGANS = set(PARTY_ORGANS) | set(COMMITTEE_ORGANS) | {""}

# --- Person names ---------------------------------------------------------------------------
SURNAMES_SINGLE = set(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖萧田董袁潘于蒋蔡余杜叶程"
    "苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付傅方白邹孟熊秦邱江尹薛闫阎段雷侯龙史陶黎贺顾"
    "毛郝龚邵万钱严覃武戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰"
    "焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲"
    "房滕屈饶解牟艾尤阳穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂佟应"
    "臧闵苟邬边卞姬师仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝官封谈匡鞠惠荆乐冀郁"
    "胥南班储栗燕楚鄢劳谌奚皮粟冼蔺楼满闻位厉伊仝郜阚权帅屠豆朴盖练廉禹井祖漆巴丰支卿狄计"
    "索宣晋相初门云容敬扈晁芮都普阙浦戈伏鹿薄邸雍辜羊乌母裘亓修邰赫杭况那宿鲜印逯隆茹诸战慕"
    "危玉银亢嵇哈湛宾戎勾茅揭干尉冶斯束檀衣展昝智幸奉植衡富尧闭蔚"
)
SURNAMES_COMPOUND = [
    "欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙", "宇文", "司徒",
    "夏侯", "轩辕", "令狐", "钟离", "端木", "申屠", "独孤", "南宫", "万俟", "闻人", "赫连", "澹台",
]
# A character that, right after a two-character name, starts the next word rather than
# being the third character of the name (说, 表示, 在 ...).
NAME_FOLLOWERS = (
    tuple("说在的了和与及等是为对到从将就也都均同向以把被让给称这那今") +
    ("讲话", "讲道", "表示", "指出", "认为", "介绍", "强调", "要求", "带领", "带队", "带头", "结合", "牵头", "率领",
     "率先", "出席", "参加", "获得", "任职", "兼任", "主持", "深情", "深有", "深入", "谈到", "告诉", "作为", "道出",
     "一行", "同志", "代表", "坦言", "感慨", "说道")
)
# Words that begin with a surname character but are not names (县委常委班子, 书记高度重视).
NON_NAMES = {
    "主持", "记者", "编辑", "通讯", "编者", "本报", "全体", "各位", "班子", "成员", "高度", "文件", "方面",
    "方式", "和谐", "时间", "于是", "应当", "应该", "以及", "带头", "要求", "同志", "干部", "常务", "任务",
    "任期", "任职", "强调", "齐心", "万众", "文化",
    "安全", "田间", "牛羊", "马上", "龙头", "金融", "石油", "谷物", "丰富", "富裕", "宁静", "曾经", "张贴",
    "周边", "周年", "吴越", "许多", "何时", "高质", "高标", "高位", "孙子", "房屋", "向上", "华夏",
    "关于", "关键", "谈落", "谈认", "谈思", "谈措", "谈体", "谈心", "谈话", "谈到", "谈谈", "谈及", "谈目",
    "包括", "包保", "包联", "林业", "农业", "严格", "严肃", "严把", "成为", "成立", "成效", "宣传", "宣讲",
}

# --- Organisations: [name][head noun] --------------------------------------------------------
# Two characters ending in a level character that are words, not a level prefix (社区, 城市, 乡镇).
NOT_LEVEL_PREFIX = {
    "社区", "城区", "地区", "园区", "小区", "景区", "山区", "辖区", "新区", "片区", "城市", "都市", "超市",
    "全市", "全县", "全区", "全省", "城乡", "乡镇", "城镇", "集镇", "村镇", "本市", "本县", "该县", "该市",
    "各省", "各市", "各县", "各区", "各乡", "各镇", "街区", "厂区", "矿区", "郊区", "市区", "县区", "省市",
}
LEVEL_PREFIXES = "省市县区州镇乡"
# Verbs and function words that end the text before an organisation name starts.
ORG_LEFT_CUT = re.compile(
    r"(成立|设立|组建|依托|推动|引进|支持|实施|开展|加快|推进|成为|作为|邀请|来自|召开|举办|联合|通过|"
    r"参加|组织|深化|落实|派驻|挂牌|带领|指导|协调|配合|牵头|包括|其中|全市|全县|全区|全省|全镇|各级|"
    r"[的与和及在由对向了是把被将从为同跟到给让以等或并])"
)

# --- Initiatives ------------------------------------------------------------------------------
# Heads, launch verbs and numbered-slogan shapes are data (resources/initiatives.toml).
# Words after a quote that show it is a description, honour or saying, not a campaign.
NOT_INITIATIVE_AFTER = re.compile(r"^(的(美誉|称号|精神|胸襟|道理|气魄|情怀|理念|目标)|称号|美誉|荣誉|道理|之称)")
# Quotes that are directives, questions or roles rather than names: “疫情要防住、经济要稳住”,
# “筠连发展怎么办”, “一把手”.
DIRECTIVE_START = re.compile(r"^(要|必须|应当|不能|只有|坚决|务必)")
QUESTION = re.compile(r"怎么|如何|什么|哪|吗|谁|为何")
ROLE_END = re.compile(r"[手者员人军兵]$")
# A higher level proposing: the document only cites it (省党代会提出“…”).
HIGHER_LEVEL = re.compile(r"(中央|党中央|国务院|国家|省委|省政府|省党代会|省第[一二三四五六七八九十]+次党代会)[^，。,]{0,6}(提出|要求|强调|部署|指出)")
# Formulas of the national level: cited by every document, launched by none of them.
NATIONAL_FORMULAS = {
    "四个意识", "四个自信", "两个维护", "两个确立", "四个全面", "两学一做", "三严三实", "不忘初心牢记使命",
    "六稳", "六保", "六稳六保", "一带一路", "放管服", "三去一降一补", "四个伟大", "八项规定", "两个一百年",
    "三会一课", "四风", "五大发展理念", "新发展理念",
}

# --- Speech and actors ------------------------------------------------------------------------
SPEECH_VERBS = r"(?:说道|说|讲道|表示|指出|强调|介绍|认为|感慨|谈道|坦言|告诉记者)"
# 我市 / 全县 / 本镇: the unit the writer belongs to, resolved to the document's place of that level.
SELF_UNIT = re.compile(r"(我|全|本)(省|市|县|区|州|镇|乡|街道)")
CLAUSE_BREAKS = "，,；;：:"
