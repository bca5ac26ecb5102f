"""Articles for these tests: namesakes in different villages, one official in two places, a syndicated story."""

from pathlib import Path

def wire_story() -> str:
    """A county story (a bundled example) to syndicate: copied, and lightly edited by :func:`edited_copies`."""
    return (Path(__file__).resolve().parents[1] / "examples" / "02_county_roundup.txt").read_text(encoding="utf-8")


def edited_copies(text: str) -> list[str]:
    """Three light edits of a story: another outlet, a dropped phrase and an editor line, a cut last paragraph."""
    return [text.replace("来源：秦安县融媒体中心", "来源：天水日报"),
            text.replace("初夏时节，", "") + "\n（责任编辑：张华）\n",
            text.rsplit("\n\n", 1)[0]]


# Two different 李明, party secretaries of villages in two counties, and a later
# article about the first one again.
LI_MING = {
    "liming_binzhou": "朝阳新村种起大棚蔬菜\n2021-04-12 08:30 来源：滨城区融媒体中心\n"
                      "滨城区秦皇台乡朝阳新村党总支书记李明带领村民发展大棚蔬菜，全村新建大棚四十座。\n",
    "liming_huimin": "翟刘村议事有了新平台\n2022-06-03 10:15 来源：惠民县融媒体中心\n"
                     "惠民县清河镇翟刘村党支部书记李明介绍，村里开展“红色议事厅”活动，村民的事大家商量着办。\n",
    "liming_binzhou_later": "朝阳新村西瓜丰收\n2023-07-20 09:00 来源：滨州日报\n"
                            "滨城区秦皇台乡朝阳新村党总支书记李明说，今年全村西瓜亩产超过八千斤。\n",
}

# 王建军: secretary of 莲花镇 in one article, a member of the 秦安县 standing
# committee and still secretary of 莲花镇 in the next (posts in two places).
WANG_JIANJUN = {
    "wang_lianhua": "莲花镇部署人居环境整治\n2021-05-08 09:30 来源：秦安县融媒体中心\n"
                    "秦安县莲花镇党委书记王建军主持会议，部署“清洁家园”行动。\n",
    "wang_qinan": "秦安县召开乡村振兴推进会\n2023-03-15 16:20 来源：秦安县融媒体中心\n"
                  "会上，秦安县委常委王建军讲话。莲花镇党委书记王建军主持会议。\n",
}
