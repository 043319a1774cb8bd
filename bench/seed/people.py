"""Realistic-looking identities: Chinese names, unique mobile numbers, credit codes with a valid check
character, enterprise names, certificate numbers and tokens, all from the seed's random source."""

from __future__ import annotations

import base64
import random

from services.common.validators import CREDIT_CODE_ALPHABET, credit_code_check_char

SURNAMES = (
    "陈" * 12 + "林" * 9 + "黄" * 7 + "吴" * 6 + "王" * 6 + "许" * 5 + "蔡" * 5 + "施" * 4 + "洪" * 4 + "张" * 5
    + "李" * 5 + "苏" * 3 + "郑" * 3 + "刘" * 4 + "杨" * 3 + "庄" * 3 + "丁" * 2 + "粘" + "曾" * 2 + "周" * 2
    + "赵徐孙朱胡郭何高罗梁宋谢唐韩曹邓萧冯程彭潘袁董余叶蒋杜魏吕任沈姚卢姜钟谭陆汪范金石廖贾夏韦方白邹孟熊"
    "秦邱江尹薛段雷侯龙史陶黎贺顾毛郝龚邵万钱严武戴莫孔向汤柯骆欧阳"
)
GIVEN_FIRST = "志建国文明海秀丽美晓春雅俊伟家金宝德永世振清玉淑素惠佳嘉子梓欣思宇浩一雨诗锦鸿荣"
GIVEN_SECOND = "强华平英玲斌燕峰婷辉梅芳军勇杰涛敏静霞红军伟明亮鹏飞娟琴萍蓉鑫磊洋超颖琳婕昊轩涵睿"
RARE = ("𠮷", "䶮", "堃", "喆", "昇")  # characters outside the common range occur in real names

PHONE_PREFIXES = ("130", "131", "132", "133", "135", "136", "137", "138", "139", "150", "151", "152", "155",
                  "157", "158", "159", "166", "177", "180", "181", "182", "183", "185", "186", "187", "188",
                  "189", "191", "198", "199")

BRAND = "恒信华彩鸿达安特步金源利兴盛嘉隆泰豪宏发顺永昌荣新万福祥瑞通德美联创远锦宝晟鑫凯峰祺裕腾飞力"
INDUSTRY_WORDS = {
    "footwear": ("鞋业", "鞋材", "体育用品", "鞋服"),
    "textile": ("纺织", "化纤", "织造", "印染"),
    "food": ("食品", "饮料"),
    "ceramics": ("陶瓷", "建材"),
    "machinery": ("机械", "精密机械", "机电"),
    "paper": ("纸业", "包装"),
    "electronics": ("电子", "光电"),
    "chemicals": ("化工", "新材料"),
    "logistics": ("物流", "供应链"),
    "construction": ("建设", "建筑工程"),
    "services": ("商贸", "贸易"),
    "other": ("实业",),
}


def person_name(rng: random.Random) -> str:
    """Surname plus a one- or two-character given name; now and then a rare character."""
    surname = rng.choice(SURNAMES)
    if rng.random() < 0.0005:
        return surname + rng.choice(GIVEN_FIRST) + rng.choice(RARE)
    if rng.random() < 0.15:
        return surname + rng.choice(GIVEN_SECOND)
    return surname + rng.choice(GIVEN_FIRST) + rng.choice(GIVEN_SECOND)


class Phones:
    """Unique mainland mobile numbers (1[3-9] then nine digits), never one already taken."""

    def __init__(self, rng: random.Random, taken: set[str]):
        self.rng = rng
        self.taken = set(taken)

    def next(self) -> str:
        while True:
            phone = self.rng.choice(PHONE_PREFIXES) + f"{self.rng.randrange(100_000_000):08d}"
            if phone not in self.taken:
                self.taken.add(phone)
                return phone


def credit_code(serial: int) -> str:
    """A well-formed unified social credit code (GB 32100-2015) unique per serial: 91 (enterprise),
    the Jinjiang region 350582, then the serial in the code's alphabet and the check character."""
    digits = []
    value = serial + 100_000  # well away from the demo's serials 1 and 2
    for _ in range(9):
        value, rest = divmod(value, len(CREDIT_CODE_ALPHABET))
        digits.append(CREDIT_CODE_ALPHABET[rest])
    first17 = "91350582" + "".join(reversed(digits))
    return first17 + credit_code_check_char(first17)


def enterprise_name(rng: random.Random, town: str, industry: str, taken: set[str]) -> str:
    """e.g. 晋江市陈埭恒达鞋业有限公司; unique among `taken` (which it extends)."""
    place = town.removesuffix("镇").removesuffix("街道")
    while True:
        brand = rng.choice(BRAND) + rng.choice(BRAND)
        word = rng.choice(INDUSTRY_WORDS[industry])
        name = f"晋江市{place if rng.random() < 0.4 else ''}{brand}{word}有限公司"
        if name not in taken:
            taken.add(name)
            return name


def skill_certificate_no(rng: random.Random) -> str:
    """A skill certificate number: Y (employer) or S (social body) then 21 digits."""
    return rng.choice("YS") + f"{rng.randrange(10**21):021d}"


def token(rng: random.Random, nbytes: int = 18) -> str:
    """An URL-safe token from the seed's random source (reproducible; generated data only)."""
    return base64.urlsafe_b64encode(rng.getrandbits(nbytes * 8).to_bytes(nbytes, "big")).decode().rstrip("=")
