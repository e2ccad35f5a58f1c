"""What the demo catalog holds: people of ten of the city's units and of the office, their
entries in every review state (with 信息项 and small CSV data files), applications and demands.

Written for the project: the titles and 信息项 are what such units register; the rows of the
data files are made up (no real person, licence or plot). Units are those of 附件1, found by
their URL names (``ckan yiyang load-units`` made them).
"""

from __future__ import annotations

import dataclasses
from typing import Any

#: Every demo account has this password unless ``demo load --password`` says otherwise.
PASSWORD = "yiyang-demo-2026"
#: The URL names of the demo's entries and accounts begin with it: ``reset`` finds them so.
PREFIX = "demo-"

#: (short name, the unit's URL name, editor's name, admin's name)
UNITS: list[tuple[str, str, str, str]] = [
    ("police", "unit-02006", "周建国", "刘志强"),
    ("civil", "unit-02007", "陈丽华", "黄永红"),
    ("hrss", "unit-02010", "杨帆", "吴振华"),
    ("land", "unit-02011", "赵磊", "孙明"),
    ("education", "unit-02003", "钱晓燕", "郑光辉"),
    ("health", "unit-02022", "何静", "谢宏伟"),
    ("commerce", "unit-02025", "罗敏", "唐建军"),
    ("stats", "unit-02029", "邓超", "曹文彬"),
    ("housing", "unit-02014", "彭亮", "肖卫东"),
    ("transport", "unit-02016", "蒋琳", "袁刚"),
]
#: The reviewer of the demo, a member of the e-government office.
OFFICE_USER = ("office", "欧阳倩")

DRAFT, SUBMITTED, RETURNED, PUBLISHED, WITHDRAWN, CHANGED = (
    "draft",
    "submitted",
    "returned",
    "published",
    "withdrawn",
    "changed",  # published, with a change waiting for review
)


@dataclasses.dataclass(frozen=True)
class Item:
    name: str
    description: str
    data_type: str
    length: int | None = None
    unit: str = ""
    scope: str = "public"


@dataclasses.dataclass(frozen=True)
class Entry:
    slug: str
    unit: str
    title: str
    notes: str
    catalog_category: str
    subject_category: str
    tags: str
    items: tuple[Item, ...]
    state: str
    share_type: str = "unconditional"
    share_condition: str = ""
    share_method: str = "platform_file"
    open_to_public: str = "no"
    open_condition: str = ""
    update_cycle: str = "monthly"
    disclosure_scope: str = "public"
    format_class: str = "spreadsheet"
    format_type: str = "csv"
    rows: tuple[tuple[str, ...], ...] = ()
    opinion: str = ""

    @property
    def name(self) -> str:
        return f"{PREFIX}{self.slug}"

    def fields(self, owner_org: str) -> dict[str, Any]:
        data: dict[str, Any] = {
            "type": "dataset",
            "name": self.name,
            "title": self.title,
            "notes": self.notes,
            "owner_org": owner_org,
            "catalog_category": self.catalog_category,
            "subject_category": self.subject_category,
            "tag_string": self.tags,
            "format_class": self.format_class,
            "format_type": self.format_type,
            "share_type": self.share_type,
            "share_method": "" if self.share_type == "none" else self.share_method,
            "open_to_public": self.open_to_public,
            "update_cycle": self.update_cycle,
            "disclosure_scope": self.disclosure_scope,
            "management_mode": "computer",
            "data_items": [
                {
                    "name": item.name,
                    "description": item.description,
                    "data_type": item.data_type,
                    **({"length": item.length} if item.length else {}),
                    **({"unit": item.unit} if item.unit else {}),
                    "disclosure_scope": item.scope,
                }
                for item in self.items
            ],
        }
        if self.share_condition:
            data["share_condition"] = self.share_condition
        if self.open_condition:
            data["open_condition"] = self.open_condition
        return data

    def csv(self) -> bytes:
        """The data file: a header of the 信息项 and the made-up rows (UTF-8 with a BOM, so
        that Excel opens it in Chinese)."""
        lines = [",".join(item.name for item in self.items)]
        lines += [",".join(row) for row in self.rows]
        return ("\ufeff" + "\r\n".join(lines) + "\r\n").encode("utf-8")


S, N, D, INT = "string", "numeric", "datetime", "integer"

ENTRIES: list[Entry] = [
    Entry(
        "police-population",
        "police",
        "益阳市户籍人口基本信息",
        "全市户籍人口的姓名、性别、出生日期、户籍地址等基本信息，按月更新，供各单位核验身份。",
        "101",
        "13",
        "户籍,人口,身份核验",
        (
            Item("姓名", "户籍登记的姓名", S, 50, scope="internal"),
            Item("性别", "男、女", S, 2),
            Item("出生日期", "公历出生日期", D),
            Item("户籍地址", "户口所在地详址", S, 200, scope="internal"),
            Item("所属区县", "资阳区、赫山区等", S, 20),
        ),
        PUBLISHED,
        share_type="conditional",
        share_condition="仅用于身份核验和业务协同，不得向第三方提供",
        share_method="platform_api",
        disclosure_scope="partial",
        update_cycle="monthly",
        format_class="database",
        format_type="oracle",
        rows=(
            ("张*", "男", "1985-03-12", "赫山区会龙山街道****", "赫山区"),
            ("李*", "女", "1992-11-02", "资阳区大码头街道****", "资阳区"),
        ),
    ),
    Entry(
        "police-vehicles",
        "police",
        "益阳市机动车登记信息",
        "在本市登记的机动车号牌、车辆类型、使用性质和登记日期。",
        "302006",
        "04",
        "机动车,车辆登记",
        (
            Item("号牌号码", "湘H开头的号牌", S, 10),
            Item("车辆类型", "小型汽车、大型货车等", S, 20),
            Item("使用性质", "营运、非营运", S, 10),
            Item("登记日期", "初次登记日期", D),
        ),
        CHANGED,
        share_type="conditional",
        share_condition="用于交通运输管理和保险理赔核验",
        rows=(("湘H·A1234", "小型汽车", "非营运", "2019-05-20"),),
    ),
    Entry(
        "police-residence-permits",
        "police",
        "居住证办理信息",
        "流动人口居住证的申领、签注和有效期信息。",
        "105",
        "13",
        "居住证,流动人口",
        (
            Item("证件编号", "居住证编号", S, 20),
            Item("签发日期", "", D),
            Item("有效期至", "", D),
        ),
        SUBMITTED,
        share_type="conditional",
        share_condition="用于公共服务资格核验",
        disclosure_scope="internal",
    ),
    Entry(
        "civil-subsistence",
        "civil",
        "城乡居民最低生活保障对象信息",
        "全市城乡低保对象的家庭人口、保障金额和审批时间，按季度更新。",
        "203",
        "18",
        "低保,社会救助",
        (
            Item("户主姓名", "", S, 50, scope="internal"),
            Item("家庭人口数", "", INT),
            Item("月保障金额", "", N, unit="元"),
            Item("审批日期", "", D),
        ),
        PUBLISHED,
        share_type="conditional",
        share_condition="用于社会救助对象核查，需经市民政局审批",
        disclosure_scope="partial",
        update_cycle="quarterly",
        rows=(("王*", "3", "1260", "2026-07-01"), ("刘*", "1", "520", "2026-08-15")),
    ),
    Entry(
        "civil-marriage",
        "civil",
        "婚姻登记信息",
        "结婚、离婚登记的当事人、登记机关和登记日期。",
        "101",
        "18",
        "婚姻登记",
        (
            Item("登记类型", "结婚、离婚", S, 4),
            Item("登记机关", "", S, 50),
            Item("登记日期", "", D),
        ),
        RETURNED,
        disclosure_scope="internal",
        opinion="请补充当事人信息项，并说明共享方式为何选择文件而非接口。",
    ),
    Entry(
        "hrss-insurance",
        "hrss",
        "企业职工基本养老保险参保信息",
        "企业职工养老保险参保单位、参保人数和缴费基数，按月更新。",
        "203",
        "17",
        "社会保险,养老保险,参保",
        (
            Item("参保单位名称", "", S, 200),
            Item("参保人数", "", INT, unit="人"),
            Item("月缴费基数合计", "", N, unit="万元", scope="internal"),
        ),
        PUBLISHED,
        disclosure_scope="partial",
        rows=(("益阳市某机械有限公司", "128", "58.6"), ("湖南某食品有限公司", "56", "22.4")),
    ),
    Entry(
        "hrss-employment",
        "hrss",
        "城镇新增就业人数统计",
        "各区县城镇新增就业、失业人员再就业人数，按月统计。",
        "201",
        "17",
        "就业,统计",
        (
            Item("区县", "", S, 20),
            Item("统计月份", "", D),
            Item("新增就业人数", "", INT, unit="人"),
            Item("再就业人数", "", INT, unit="人"),
        ),
        PUBLISHED,
        open_to_public="yes",
        open_condition="无条件向社会开放",
        rows=(("赫山区", "2026-10", "1342", "410"), ("资阳区", "2026-10", "986", "302")),
    ),
    Entry(
        "land-parcels",
        "land",
        "国有建设用地供应信息",
        "国有建设用地出让、划拨的宗地位置、面积、用途和成交价格。",
        "103",
        "03",
        "土地供应,建设用地",
        (
            Item("宗地编号", "", S, 30),
            Item("宗地位置", "", S, 200),
            Item("出让面积", "", N, unit="平方米"),
            Item("土地用途", "", S, 20),
            Item("成交价格", "", N, unit="万元"),
        ),
        PUBLISHED,
        open_to_public="yes",
        open_condition="依法公开的供地结果",
        update_cycle="irregular",
        rows=(("YY2026-031", "赫山区龙岭工业园", "35210.5", "工业用地", "2100"),),
    ),
    Entry(
        "land-geodata",
        "land",
        "基础地理信息数据",
        "1:2000 比例尺地形图、行政区划界线和地名地址数据（介质交换）。",
        "103",
        "11",
        "地理信息,测绘",
        (Item("图幅号", "", S, 20), Item("测绘日期", "", D)),
        DRAFT,
        share_type="conditional",
        share_condition="涉密数据，按测绘成果管理规定审批后提供",
        share_method="offline_media",
        format_class="image",
        format_type="tif",
        disclosure_scope="undisclosed",
    ),
    Entry(
        "education-schools",
        "education",
        "中小学校基本信息",
        "全市中小学校名称、办学类型、地址和在校生人数。",
        "201",
        "14",
        "学校,教育",
        (
            Item("学校名称", "", S, 100),
            Item("办学类型", "小学、初中、高中、九年一贯制", S, 20),
            Item("学校地址", "", S, 200),
            Item("在校生人数", "", INT, unit="人"),
        ),
        PUBLISHED,
        open_to_public="yes",
        open_condition="无条件向社会开放",
        update_cycle="annual",
        rows=(
            ("益阳市第一中学", "高中", "赫山区桃花仑路", "3520"),
            ("益阳市朝阳小学", "小学", "赫山区朝阳街道", "2180"),
        ),
    ),
    Entry(
        "education-student-aid",
        "education",
        "学生资助对象信息",
        "享受国家助学金、营养膳食补助的学生名单和资助金额。",
        "203",
        "14",
        "学生资助,助学金",
        (
            Item("学生姓名", "", S, 50),
            Item("资助项目", "", S, 50),
            Item("资助金额", "", N, unit="元"),
        ),
        WITHDRAWN,
        share_type="conditional",
        share_condition="用于资助对象比对核查",
        disclosure_scope="internal",
    ),
    Entry(
        "health-institutions",
        "health",
        "医疗卫生机构信息",
        "全市医院、乡镇卫生院和社区卫生服务中心的名称、级别、床位数。",
        "202",
        "15",
        "医疗机构,卫生",
        (
            Item("机构名称", "", S, 100),
            Item("机构级别", "三级、二级、一级", S, 10),
            Item("床位数", "", INT, unit="张"),
        ),
        PUBLISHED,
        open_to_public="yes",
        open_condition="无条件向社会开放",
        update_cycle="annual",
        rows=(("益阳市中心医院", "三级", "1500"), ("赫山区龙光桥镇卫生院", "一级", "60")),
    ),
    Entry(
        "health-births",
        "health",
        "出生医学证明签发信息",
        "新生儿出生医学证明的编号、签发机构和签发日期。",
        "105",
        "15",
        "出生医学证明,电子证照",
        (
            Item("证明编号", "", S, 20),
            Item("签发机构", "", S, 100),
            Item("签发日期", "", D),
        ),
        SUBMITTED,
        share_type="conditional",
        share_condition="用于户籍登记和社保参保",
        disclosure_scope="internal",
    ),
    Entry(
        "commerce-enterprises",
        "commerce",
        "市场主体登记信息",
        "企业和个体工商户的名称、统一社会信用代码、法定代表人、注册资本和登记状态。",
        "102",
        "02",
        "企业,市场主体,工商登记",
        (
            Item("企业名称", "", S, 200),
            Item("统一社会信用代码", "", S, 18),
            Item("法定代表人", "", S, 50, scope="internal"),
            Item("注册资本", "", N, unit="万元"),
            Item("登记状态", "存续、注销、吊销", S, 10),
        ),
        PUBLISHED,
        disclosure_scope="partial",
        update_cycle="daily",
        share_method="platform_api",
        format_class="database",
        format_type="mysql",
        rows=(("益阳某科技有限公司", "91430900MA4L000000", "赵*", "500", "存续"),),
    ),
    Entry(
        "stats-gdp",
        "stats",
        "地区生产总值季度数据",
        "全市及各区县地区生产总值、增速，按季度发布。",
        "201",
        "02",
        "统计,GDP,经济",
        (
            Item("地区", "", S, 20),
            Item("季度", "", S, 7),
            Item("地区生产总值", "", N, unit="亿元"),
            Item("同比增长", "", N, unit="%"),
        ),
        PUBLISHED,
        open_to_public="yes",
        open_condition="统计部门发布后向社会开放",
        update_cycle="quarterly",
        rows=(("益阳市", "2026Q3", "1520.3", "5.8"), ("赫山区", "2026Q3", "402.7", "6.1")),
    ),
    Entry(
        "housing-permits",
        "housing",
        "建筑工程施工许可信息",
        "房屋建筑和市政工程施工许可证的项目名称、建设单位和发证日期。",
        "209",
        "06",
        "施工许可,建筑",
        (
            Item("项目名称", "", S, 200),
            Item("建设单位", "", S, 200),
            Item("发证日期", "", D),
        ),
        DRAFT,
    ),
    Entry(
        "transport-buses",
        "transport",
        "城市公交线路信息",
        "中心城区公交线路、站点和首末班时间。",
        "201",
        "04",
        "公交,交通",
        (
            Item("线路名称", "", S, 20),
            Item("起讫站点", "", S, 100),
            Item("首末班时间", "", S, 20),
        ),
        PUBLISHED,
        open_to_public="yes",
        open_condition="无条件向社会开放",
        rows=(("1路", "火车站—龙岭工业园", "06:00-21:30"),),
    ),
    Entry(
        "transport-operators",
        "transport",
        "道路运输经营许可信息",
        "道路旅客和货物运输经营者的许可证号和经营范围。",
        "102",
        "04",
        "道路运输,经营许可",
        (Item("经营者名称", "", S, 200), Item("许可证号", "", S, 30)),
        RETURNED,
        share_type="none",
        share_condition="涉及商业秘密，依据《道路运输条例》不予共享",
        opinion="不予共享须写明法律法规依据的条款。",
    ),
]


@dataclasses.dataclass(frozen=True)
class Application:
    entry: str  # the entry's slug
    applicant: str  # the applying unit's short name
    purpose: str
    detail: str
    decision: str = ""  # "approve", "reject" or "" (left pending)
    reason: str = ""


APPLICATIONS: list[Application] = [
    Application(
        "police-population", "civil", "data_verification", "低保对象家庭人口核查", "approve"
    ),
    Application("police-population", "hrss", "business_collaboration", "社保参保人员身份核验"),
    Application("police-population", "education", "administrative_basis", "义务教育入学资格审核"),
    Application(
        "civil-subsistence",
        "education",
        "data_verification",
        "学生资助对象家庭经济困难认定",
        "reject",
        "请先提供资助对象名单的比对范围说明",
    ),
    Application("hrss-insurance", "health", "work_reference", "医疗机构职工参保情况统计"),
    Application("commerce-enterprises", "stats", "business_collaboration", "经济普查名录库更新"),
    Application("commerce-enterprises", "land", "administrative_basis", "土地出让竞买人资格审查"),
]


@dataclasses.dataclass(frozen=True)
class Demand:
    title: str
    requester: str  # the requesting unit's short name
    provider: str | None  # the providing unit's short name; None: the office routes it
    content: str
    purpose: str
    update_frequency: str
    outcome: str = ""  # "accept", "fulfil:<slug>", "reject" or "" (left submitted)
    reason: str = ""
    comment: str = ""


DEMANDS: list[Demand] = [
    Demand(
        "不动产登记信息",
        "civil",
        "land",
        "申请救助家庭名下的不动产登记情况",
        "社会救助家庭经济状况核对",
        "monthly",
        "accept",
        comment="已受理，预计下月通过共享平台接口提供。",
    ),
    Demand(
        "中小学在校生名单",
        "health",
        "education",
        "各中小学在校生姓名、年级和学校",
        "学生常见病和近视防控筛查",
        "semiannual",
        "fulfil:education-schools",
    ),
    Demand(
        "企业用电量数据",
        "stats",
        None,
        "规模以上工业企业月度用电量",
        "工业经济运行监测",
        "monthly",
    ),
    Demand(
        "出租车运营轨迹数据",
        "police",
        "transport",
        "全市出租车实时定位和运营轨迹",
        "交通违法行为分析",
        "realtime",
        "reject",
        reason="轨迹数据涉及个人隐私，暂不具备共享条件",
    ),
    Demand(
        "公积金缴存信息",
        "housing",
        "hrss",
        "职工住房公积金缴存基数和缴存状态",
        "住房保障资格审核",
        "monthly",
    ),
]

#: The office's notices on the home page, oldest first.
NOTICES: list[tuple[str, str]] = [
    (
        "关于开展2026年度政务信息资源目录编制工作的通知",
        "各单位：请于本轮时间安排规定的期限内完成本单位信息资源目录的填报和报送。\n\n"
        "填报中遇到问题，请与市电子政务办联系。",
    ),
    (
        "目录门户试运行说明",
        "目录门户已开通试运行。各单位分管负责人请核实本单位联络人信息，"
        "编辑员可登录后登记信息资源并提交审核。",
    ),
]

#: The phases of the demo's round (so that the progress view judges against this round, not
#: the 2015–16 dates of the configuration).
ROUND = {
    "preparation": "2026-09-30",
    "report": "2026-11-20",
    "review": "2026-12-31",
    "sorting": "2027-01-31",
    "platform": "2027-03-31",
    "launch": "2027-04-30",
}
