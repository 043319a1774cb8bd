"""Text for generated records: proposal titles and bodies, screening notes, savings amounts, check-in
notes and citations, assembled from phrases so that lists and searches look like a real city's."""

from __future__ import annotations

import math
import random
from decimal import Decimal

KINDS = ("improvement", "suggestion", "design", "creation", "invention")
KIND_WEIGHTS = (35, 25, 15, 12, 13)
OBJECTS = ("鞋底成型模具", "针车", "裁断工位", "空压机", "染色机", "缝纫线头", "喷胶工位", "烘干线", "织布机", "纺纱机",
           "包装流水线", "叉车充电区", "配电房", "数控车床", "冲压模具", "陶瓷窑炉", "釉料搅拌机", "原料仓", "质检台",
           "输送带", "鞋面冲裁机", "热定型机", "废水处理池", "车间照明", "压缩空气管网", "注塑机", "贴合机", "验布机")
ACTIONS = ("快速换模装置", "断线自动报警器", "余料收集架", "余热回收改造", "自动加料小车", "自动剪切装置", "节能改造",
           "防错定位工装", "能耗监测看板", "保养周期优化", "安全防护罩", "一键启停控制", "工艺参数优化", "气动夹具",
           "视觉检测装置", "除尘改进", "物料定置管理", "防漏改造", "降噪改造", "自动计数装置")
SUFFIXES = ("", "", "", "", "（二期）", "（改进型）", "的改进", "的应用")
PROBLEMS = ("{o}停机等待时间长，影响产量。", "{o}故障多，返工率高。", "{o}能耗偏高，电费支出大。",
            "{o}操作不便，员工劳动强度大。", "{o}存在安全隐患，去年发生过轻伤事故。", "{o}物料浪费严重。")
SOLUTIONS = ("加装{a}，并编写操作规程。", "自制{a}，利用车间闲置材料。", "与设备科合作实施{a}。",
             "改用{a}，每班点检一次。")
BENEFITS = ("预计每年节约成本约 {n} 万元。", "效率提高约 {p}%，返工减少。", "每人每班节省约 {m} 分钟。")

REJECT_NOTES = {
    "own_duty": "该项改进属于提案人岗位本职工作。",
    "no_measures": "只提出问题，没有具体可行的改进措施。",
    "in_progress": "该问题设备科已立项整改。",
    "duplicate": "与往年已获奖提案内容重复。",
    "other": "经评估暂不具备实施条件。",
}
RETURN_NOTES = ("请补充节约额的测算依据。", "请附上改进前后的对比照片。", "请写明具体的实施步骤。")
WITHDRAW_NOTES = ("准备与班组其他提案合并申报。", "方案需要进一步完善，下次再报。", None)
IMPLEMENT_NOTES = ("已在全厂推广，财务部按实际节约核定。", "已在两条生产线实施，节约额经财务确认。")

TAUGHT = ("帮面缝制工艺要点", "设备日常点检与保养", "裁断排料与节约用料", "成型机参数调整", "质量缺陷识别与处理",
          "安全操作规程", "数控编程基础", "焊接变形控制", "电气线路故障排查", "模具安装与调试")
SKILL_POINTS = ("独立完成一双样鞋的帮面缝制", "掌握三种常见故障的判断方法", "排料利用率达到 85% 以上",
                "按图纸完成零件加工，尺寸合格", "能够独立完成交接班点检")
CITATIONS = ("扎根一线多年，主导多项工艺改进，带出技术骨干多名，多次在技能竞赛中获奖。",
             "长期从事设备维护，攻克多项设备故障难题，年节约维修成本数十万元，是企业公认的技术能手。",
             "精通本工种工艺，牵头编写企业操作规范，积极参与名师带徒，徒弟多人晋升高级工。",
             "爱岗敬业，技术精湛，在五小创新活动中多项成果被采纳实施，为企业创造了显著的经济效益。")


def proposal_text(rng: random.Random) -> tuple[str, str, str, str, str]:
    """(kind, title, problem, solution, expected benefit) of one proposal."""
    obj, action = rng.choice(OBJECTS), rng.choice(ACTIONS)
    title = f"{obj}{action}{rng.choice(SUFFIXES)}"
    problem = rng.choice(PROBLEMS).format(o=obj)
    solution = rng.choice(SOLUTIONS).format(a=action)
    benefit = rng.choice(BENEFITS).format(n=rng.randint(1, 60), p=rng.randint(5, 40), m=rng.randint(10, 60))
    return rng.choices(KINDS, KIND_WEIGHTS)[0], title, problem, solution, benefit


def savings(rng: random.Random) -> Decimal:
    """An estimated annual saving in yuan: log-normal, median about 11,000, rounded to 100 yuan."""
    value = min(math.exp(rng.gauss(9.3, 1.0)), 5_000_000)
    return Decimal(int(value // 100) * 100).quantize(Decimal("0.01"))
