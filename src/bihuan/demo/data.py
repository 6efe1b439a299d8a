"""Static demo data for 华锐精密 / Huarui Precision: places, customers, people, machines, faults.

All companies and people are fictional. Kept as plain tuples so the seed stays readable.
"""

from typing import NamedTuple

BRAND = "华锐 Huarui"
COMPANY_ZH = "华锐精密"
COMPANY_EN = "Huarui Precision"
PASSWORD = "demo1234"


class City(NamedTuple):
    province: str
    city: str
    lat: float
    lng: float
    area_code: str
    region: str
    code: str  # customer-code prefix


CITIES: dict[str, City] = {c.city: c for c in (
    City("广东", "深圳", 22.5431, 114.0579, "0755", "华南", "GD"),
    City("广东", "东莞", 23.0207, 113.7518, "0769", "华南", "GD"),
    City("广东", "广州", 23.1291, 113.2644, "020", "华南", "GD"),
    City("广东", "佛山", 23.0215, 113.1214, "0757", "华南", "GD"),
    City("广东", "中山", 22.5176, 113.3926, "0760", "华南", "GD"),
    City("广东", "惠州", 23.1115, 114.4158, "0752", "华南", "GD"),
    City("福建", "厦门", 24.4798, 118.0894, "0592", "华南", "FJ"),
    City("福建", "福州", 26.0745, 119.2965, "0591", "华南", "FJ"),
    City("福建", "泉州", 24.8741, 118.6759, "0595", "华南", "FJ"),
    City("江苏", "苏州", 31.2990, 120.5853, "0512", "华东", "JS"),
    City("江苏", "昆山", 31.3856, 120.9807, "0512", "华东", "JS"),
    City("江苏", "无锡", 31.4912, 120.3119, "0510", "华东", "JS"),
    City("江苏", "南京", 32.0603, 118.7969, "025", "华东", "JS"),
    City("江苏", "常州", 31.8112, 119.9740, "0519", "华东", "JS"),
    City("浙江", "宁波", 29.8683, 121.5440, "0574", "华东", "ZJ"),
    City("浙江", "杭州", 30.2741, 120.1551, "0571", "华东", "ZJ"),
    City("浙江", "台州", 28.6564, 121.4208, "0576", "华东", "ZJ"),
    City("浙江", "温州", 27.9938, 120.6994, "0577", "华东", "ZJ"),
    City("上海", "上海", 31.2304, 121.4737, "021", "华东", "SH"),
    City("山东", "青岛", 36.0671, 120.3826, "0532", "华东", "SD"),
    City("山东", "济南", 36.6512, 117.1201, "0531", "华东", "SD"),
    City("山东", "烟台", 37.4638, 121.4479, "0535", "华东", "SD"),
    City("天津", "天津", 39.0842, 117.2009, "022", "华北", "TJ"),
    City("北京", "北京", 39.9042, 116.4074, "010", "华北", "BJ"),
    City("湖北", "武汉", 30.5928, 114.3055, "027", "华中", "HB"),
    City("湖北", "襄阳", 32.0090, 112.1220, "0710", "华中", "HB"),
    City("湖南", "长沙", 28.2282, 112.9388, "0731", "华中", "HN"),
    City("四川", "成都", 30.5728, 104.0668, "028", "西南", "SC"),
    City("四川", "绵阳", 31.4675, 104.6796, "0816", "西南", "SC"),
    City("重庆", "重庆", 29.5630, 106.5516, "023", "西南", "CQ"),
)}

# our own plant: line equipment (devices without a customer) lives here
PLANT = ("华锐精密东莞松山湖工厂", 22.9176, 113.8853)
PLANT_AREAS = ("一号厂房 机加工线", "二号厂房 精磨线", "三号厂房 注塑线", "四号厂房 车削线")


class CustomerSeed(NamedTuple):
    name: str
    city: str
    tier: str
    district: str  # for the address


CUSTOMERS: tuple[CustomerSeed, ...] = (
    CustomerSeed("深圳市鹏瑞精密电子有限公司", "深圳", "strategic", "宝安区福永街道凤凰工业区"),
    CustomerSeed("深圳市卓越模具科技有限公司", "深圳", "key", "龙岗区坪地街道高桥工业园"),
    CustomerSeed("深圳华晟通讯部件有限公司", "深圳", "standard", "光明区玉塘街道田寮社区"),
    CustomerSeed("东莞市铭泰精密模具有限公司", "东莞", "strategic", "长安镇锦厦社区振安中路"),
    CustomerSeed("东莞市宏锦塑胶制品有限公司", "东莞", "key", "塘厦镇林村工业区"),
    CustomerSeed("广州市粤丰汽车零部件有限公司", "广州", "key", "番禺区化龙镇金湖工业城"),
    CustomerSeed("佛山市顺德区美联电器配件有限公司", "佛山", "standard", "顺德区北滘镇工业园"),
    CustomerSeed("佛山市南海鸿业铝材加工有限公司", "佛山", "basic", "南海区狮山镇小塘工业区"),
    CustomerSeed("中山市金鼎灯饰配件有限公司", "中山", "basic", "古镇镇同兴工业区"),
    CustomerSeed("惠州市德盈新能源科技有限公司", "惠州", "key", "仲恺高新区和畅五路"),
    CustomerSeed("厦门翔鹭精密机械有限公司", "厦门", "key", "海沧区新阳工业区"),
    CustomerSeed("福州闽江电机有限公司", "福州", "standard", "仓山区建新镇金山工业区"),
    CustomerSeed("泉州市晋江泉兴卫浴五金有限公司", "泉州", "basic", "晋江市安海镇工业区"),
    CustomerSeed("苏州工业园区恒瑞精机有限公司", "苏州", "strategic", "工业园区星龙街"),
    CustomerSeed("苏州博联汽车电子有限公司", "苏州", "key", "高新区浒墅关经济开发区"),
    CustomerSeed("苏州吴中精工模塑有限公司", "苏州", "standard", "吴中区木渎镇金枫南路"),
    CustomerSeed("昆山市富昌精密五金有限公司", "昆山", "standard", "开发区前进东路"),
    CustomerSeed("无锡市锡山华达机械有限公司", "无锡", "standard", "锡山区东港镇工业园"),
    CustomerSeed("无锡新联轴承有限公司", "无锡", "key", "新吴区梅村工业集中区"),
    CustomerSeed("南京中宁液压件有限公司", "南京", "standard", "江宁区秣陵街道将军大道"),
    CustomerSeed("常州市武进天宇传动科技有限公司", "常州", "basic", "武进区湖塘镇长虹路"),
    CustomerSeed("宁波市北仑区新程模具有限公司", "宁波", "strategic", "北仑区小港街道渡口南路"),
    CustomerSeed("宁波甬达汽车部件有限公司", "宁波", "key", "鄞州区姜山镇工业园"),
    CustomerSeed("杭州萧山恒力紧固件有限公司", "杭州", "standard", "萧山区经济技术开发区"),
    CustomerSeed("台州市黄岩精诚塑料模具有限公司", "台州", "standard", "黄岩区北城街道模具城"),
    CustomerSeed("温州瓯信阀门有限公司", "温州", "basic", "龙湾区永强工业园"),
    CustomerSeed("上海嘉定联航汽车配件有限公司", "上海", "strategic", "嘉定区安亭镇墨玉路"),
    CustomerSeed("上海松江精迈医疗器械有限公司", "上海", "key", "松江区九亭镇久富开发区"),
    CustomerSeed("上海浦东华研仪表有限公司", "上海", "standard", "浦东新区康桥工业区"),
    CustomerSeed("青岛海润家电部件有限公司", "青岛", "key", "黄岛区前湾港路"),
    CustomerSeed("济南鲁重精锻有限公司", "济南", "standard", "章丘区明水经济开发区"),
    CustomerSeed("烟台东方船舶配件有限公司", "烟台", "basic", "福山区高新技术产业区"),
    CustomerSeed("天津滨海津航精密制造有限公司", "天津", "key", "滨海新区经济技术开发区第十一大街"),
    CustomerSeed("天津市北辰区鑫达液压机械有限公司", "天津", "standard", "北辰区双街镇工业园"),
    CustomerSeed("北京亦庄中科精仪有限公司", "北京", "standard", "经济技术开发区科创十三街"),
    CustomerSeed("武汉光谷精密光电有限公司", "武汉", "key", "东湖高新区光谷三路"),
    CustomerSeed("武汉江城汽车零部件有限公司", "武汉", "standard", "蔡甸区常福工业园"),
    CustomerSeed("襄阳汉江轴承有限公司", "襄阳", "basic", "高新区追日路"),
    CustomerSeed("长沙星沙工程机械配件有限公司", "长沙", "standard", "长沙县星沙经济开发区"),
    CustomerSeed("成都天府航空零部件有限公司", "成都", "strategic", "双流区西航港经济开发区"),
    CustomerSeed("成都西川精密模具有限公司", "成都", "standard", "郫都区现代工业港"),
    CustomerSeed("绵阳科创电子部件有限公司", "绵阳", "basic", "游仙区经济试验区"),
    CustomerSeed("重庆渝北嘉陵摩托车配件有限公司", "重庆", "key", "渝北区空港工业园"),
)

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹彭曾萧田董潘袁蔡蒋余于杜叶程魏苏吕丁任沈"
GIVEN = ("伟", "芳", "娜", "敏", "静", "强", "磊", "军", "洋", "勇", "艳", "杰", "涛", "明", "超",
         "秀英", "霞", "平", "刚", "桂英", "建华", "志强", "海燕", "晓东", "国庆", "丽娟", "文斌",
         "建国", "永刚", "春梅", "红梅", "俊杰", "思远", "雨婷", "浩然", "子涵", "振华", "德明")
CONTACT_TITLES = ("设备部经理", "设备主管", "生产经理", "维修组长", "厂长", "采购经理", "工艺工程师")


class FamilySeed(NamedTuple):
    family: str
    kind_zh: str
    models: tuple[str, ...]


FAMILIES: tuple[FamilySeed, ...] = (
    FamilySeed("HR-E", "全电动精密注塑机", ("HR-E3200", "HR-E3500")),
    FamilySeed("HR-M", "立式加工中心", ("HR-M5000", "HR-M5200")),
    FamilySeed("HR-G", "精密平面磨床", ("HR-G800",)),
    FamilySeed("HR-L", "数控车床", ("HR-L1200",)),
)
FAMILY_KIND = {f.family: f.kind_zh for f in FAMILIES}
# customers buy more moulding machines and machining centres than grinders
FAMILY_WEIGHTS = {"HR-E": 34, "HR-M": 36, "HR-G": 12, "HR-L": 18}
WORKSHOPS = {
    "HR-E": ("注塑车间", "成型车间", "二号厂房注塑区"),
    "HR-M": ("CNC车间", "机加工车间", "精加工车间"),
    "HR-G": ("磨削车间", "精磨车间"),
    "HR-L": ("车削车间", "机加工车间"),
}


class Fault(NamedTuple):
    fault_type: str
    title: str
    description: str
    repair_note: str


FAULTS: dict[str, tuple[Fault, ...]] = {
    "HR-E": (
        Fault("伺服报警 AL.21", "伺服报警 AL.21,射出轴无法动作",
              "开机后射出轴伺服驱动器报 AL.21(编码器通讯异常),复位后运行约十分钟再次报警。",
              "检查射出轴编码器线缆,插头针脚氧化接触不良;更换编码器线缆并做屏蔽接地,"
              "连续试产 2 小时无报警。"),
        Fault("射胶压力不稳", "射胶压力波动大,产品缺料",
              "射胶压力在设定值 ±8% 内波动,产品间歇性缺料、飞边,影响良率。",
              "止逆环磨损导致回流,更换止逆环与螺杆头;重新标定压力传感器,波动降至 ±1.5%。"),
        Fault("料筒温度异常", "料筒第三段温度升不上去",
              "料筒第三段加热圈温度长期低于设定 20℃ 以上,报温度偏差。",
              "第三段加热圈断路,更换加热圈并紧固热电偶,升温曲线恢复正常。"),
        Fault("顶针动作异常", "顶出不到位,产品粘模",
              "顶针顶出行程不足,产品粘模需人工取件。",
              "顶出伺服参数漂移,重新设定行程与速度;清理顶针板导柱并加润滑脂。"),
        Fault("螺杆异响", "储料时螺杆有异响",
              "储料过程中有明显“咯咯”异响,伴随储料时间变长。",
              "储料马达联轴器键槽磨损,更换联轴器及平键,异响消除,储料时间恢复至 3.2s。"),
        Fault("合模不到位", "合模报警,锁模力达不到设定",
              "合模终点位置偏移,锁模力仅达设定值 85%,报合模未到位。",
              "调整模厚并重新做锁模力标定;更换磨损的曲肘铜套,锁模力恢复至 100%。"),
    ),
    "HR-M": (
        Fault("主轴异响", "主轴高速运转异响",
              "主轴转速超过 8000rpm 时有尖锐异响,加工表面出现振纹。",
              "主轴前轴承磨损,更换前端角接触轴承一组并做动平衡,12000rpm 运行平稳。"),
        Fault("定位精度超差", "X 轴定位精度超差 0.02mm",
              "加工孔位偏差,激光干涉仪复测 X 轴定位误差 0.021mm,超出 0.008mm 公差。",
              "丝杠预紧力下降,重新预紧并做螺距误差补偿,定位精度恢复至 0.005mm。"),
        Fault("伺服报警 AL.21", "Z 轴伺服报警 AL.21",
              "Z 轴快速移动时报 AL.21,机床急停。",
              "Z 轴电机编码器插头松动进冷却液,清洁干燥后更换密封插头,试运行无报警。"),
        Fault("冷却液泄漏", "冷却液泄漏,导轨防护漏液",
              "工作台下方持续漏冷却液,导轨防护罩接缝处渗漏。",
              "更换 Y 轴伸缩防护罩密封条并重新打胶,冷却管接头更换,24 小时无渗漏。"),
        Fault("刀库换刀卡刀", "刀库换刀卡刀,ATC 报警",
              "换刀过程中机械手卡在中间位置,报 ATC 超时。",
              "刀库定位销磨损,更换定位销并调整机械手原点,连续换刀 500 次无异常。"),
        Fault("主轴温升过高", "主轴温升过高,热变形影响尺寸",
              "连续加工 2 小时后主轴温度达 58℃,工件尺寸漂移。",
              "主轴油冷机滤网堵塞,清洗滤网、补充冷却油,温升稳定在 32℃ 以内。"),
    ),
    "HR-G": (
        Fault("砂轮主轴振动", "砂轮主轴振动,磨削面有波纹",
              "磨削表面出现规则波纹,振动检测值 2.8mm/s。",
              "砂轮不平衡,重新修整砂轮并做在线动平衡,振动值降至 0.6mm/s。"),
        Fault("液压压力不足", "液压压力不足,工作台换向无力",
              "液压系统压力仅 2.1MPa(设定 3.5MPa),工作台换向迟缓。",
              "液压泵内泄且溢流阀卡滞,更换叶片泵芯并清洗溢流阀,压力恢复 3.5MPa。"),
        Fault("冷却液泄漏", "冷却液泄漏,磨削区积液",
              "磨削区冷却液喷嘴处漏液严重,地面积液。",
              "更换冷却液管路快换接头及喷嘴,调整回液槽坡度,漏液消除。"),
        Fault("工作台爬行", "工作台低速爬行",
              "低速进给时工作台明显爬行,平面度超差。",
              "导轨润滑不足,疏通润滑油路并更换润滑泵,低速运行平稳。"),
        Fault("定位精度超差", "Y 轴定位精度超差",
              "磨削尺寸一致性差,Y 轴重复定位误差 0.012mm。",
              "光栅尺读数头污染,清洁并重新校准,重复定位误差 0.002mm。"),
    ),
    "HR-L": (
        Fault("卡盘夹紧力不足", "卡盘夹紧力不足,工件打滑",
              "重切削时工件打滑,卡盘夹紧压力显示偏低。",
              "回转油缸密封件老化,更换密封并调整液压夹紧压力至 2.8MPa。"),
        Fault("刀塔分度报警", "刀塔分度报警,无法换刀",
              "刀塔转位时报分度未完成报警,停机。",
              "刀塔接近开关损坏,更换接近开关并调整感应距离,换刀正常。"),
        Fault("液压压力不足", "液压压力不足,尾座顶紧无力",
              "液压站压力表显示 1.8MPa,尾座顶紧力不足。",
              "液压油乳化且滤芯堵塞,更换液压油与滤芯,压力恢复正常。"),
        Fault("定位精度超差", "X 轴定位精度超差,外径尺寸不稳",
              "加工外径尺寸波动 0.015mm,X 轴反向间隙偏大。",
              "调整 X 轴丝杠轴承预紧并修正反向间隙补偿,外径波动 0.003mm 以内。"),
        Fault("伺服报警 AL.21", "主轴伺服报警 AL.21",
              "主轴启动时驱动器报 AL.21,偶发。",
              "主轴编码器反馈线破皮短路,更换反馈线并重新走线固定,试车无报警。"),
    ),
}


class Task(NamedTuple):
    fault_type: str
    title: str
    description: str
    repair_note: str


MAINTENANCE: tuple[Task, ...] = (
    Task("季度预防性保养", "季度预防性保养",
         "按保养计划执行季度预防性保养:润滑、紧固、电气检查、精度抽检。",
         "完成润滑系统加油、电柜除尘、紧固件检查,精度抽检合格,保养记录已签字。"),
    Task("年度精度校准", "年度精度校准",
         "年度几何精度与定位精度校准,出具校准报告。",
         "激光干涉仪校准三轴定位精度并做补偿,几何精度全部合格,校准报告已上传。"),
    Task("液压油更换", "液压油及滤芯更换",
         "运行满 4000 小时,按计划更换液压油及吸油、回油滤芯。",
         "更换 46# 抗磨液压油 180L 及滤芯 3 支,系统排气,压力测试正常。"),
    Task("主轴润滑保养", "主轴润滑系统保养",
         "主轴油气润滑系统定期检查与油品更换。",
         "清洗油气润滑分配器,更换主轴润滑油,检查管路无堵塞,主轴温升正常。"),
    Task("导轨润滑检查", "导轨润滑与防护检查",
         "检查导轨润滑、刮屑板及防护罩状态。",
         "更换磨损刮屑板 2 件,调整润滑间隔,防护罩无破损。"),
)


class LineIssue(NamedTuple):
    fault_type: str
    title: str
    description: str
    repair_note: str


PRODUCTION: tuple[LineIssue, ...] = (
    LineIssue("尺寸超差", "首件尺寸超差,批次暂停",
              "首件检验发现关键尺寸 Φ12.00 实测 12.018,超出 +0.01 公差,批次暂停。",
              "刀具补偿值被误改,恢复补偿参数并更换磨损刀片,首件复检合格。"),
    LineIssue("设备报警停机", "设备报警停机,产线中断",
              "设备报伺服过载报警停机,产线上下游等待。",
              "排屑器卡死导致过载,清理切屑并调整排屑器链条张紧,恢复生产。"),
    LineIssue("气压不足", "气源压力不足,夹具松动",
              "车间气压降至 0.42MPa,气动夹具夹紧不可靠。",
              "空压机干燥机排水阀堵塞,清理后气压恢复 0.62MPa;增加低压报警。"),
    LineIssue("良率下降", "良率下降至 92%,毛刺增多",
              "本班次良率由 99.2% 降至 92%,主要缺陷为毛刺。",
              "去毛刺刀具寿命到期未换,更换刀具并将刀具寿命管理上限下调 15%。"),
    LineIssue("冷却液浓度异常", "冷却液浓度异常,工件生锈",
              "冷却液浓度检测 2.1%(标准 5–7%),工件出现锈点。",
              "补充原液调整浓度至 6%,清理集中供液箱并加装浓度在线检测。"),
    LineIssue("定位精度超差", "夹具定位偏移,孔位超差",
              "孔位度检测超差 0.03mm,疑似夹具定位销松动。",
              "更换磨损定位销并重新找正夹具,孔位度恢复至 0.008mm。"),
    LineIssue("主轴异响", "主轴异响,停机待查",
              "操作工反馈主轴异响,已停机。",
              "主轴拉刀机构碟簧疲劳,更换碟簧组并测试拉刀力合格。"),
)

HOLD_REASONS = (
    "等待备件到货(供应商预计 3 天)", "客户停产检修,约定复产后上门", "等待客户提供加工图纸确认",
    "备件需从总部调拨", "客户要求延期,等待排期", "等待原厂技术支持远程诊断",
)
DECLINE_REASONS = (
    "已有紧急工单在途,无法按时到场", "不熟悉该型号,建议改派", "外地出差中,距离过远",
    "请假中", "当前工单量已满",
)
CANCEL_REASONS = (
    "客户来电告知已自行处理", "重复报修,已合并至其他工单", "客户撤回报修",
    "经远程指导已恢复,无需上门", "设备已停用报废",
)
REOPEN_REASONS = (
    "客户回访反馈问题复现", "质检复检不合格,退回重修", "客户反馈维修后仍有异响",
)
CUSTOMER_CONFIRM_NOTES = (
    "现场签字确认,设备运行正常", "客户扫码确认", "电话回访确认已修复", "客户设备主管签字确认",
)
QA_CONFIRM_NOTES = (
    "首件检验合格,批次放行", "复检合格,CPK 1.45", "连续抽检 30 件全部合格", "质检验证通过",
)


class DemoUser(NamedTuple):
    username: str
    display_name: str
    role: str
    title: str
    phone: str


DEMO_USERS: tuple[DemoUser, ...] = (
    DemoUser("admin", "系统管理员", "admin", "IT管理员", "13800000001"),
    DemoUser("agent", "林小芸", "agent", "客服专员", "13926001102"),
    DemoUser("agent02", "吴佳怡", "agent", "客服专员", "13926001103"),
    DemoUser("dispatcher", "郑海峰", "dispatcher", "调度主管", "13823004411"),
    DemoUser("supervisor", "罗建华", "supervisor", "服务主管/质检", "13502558812"),
    DemoUser("director", "何志远", "director", "生产总监", "13600187766"),
)
# users shown in the banner (the `engineer` account is created with its engineer profile)
BANNER_USERS = ("admin", "agent", "dispatcher", "engineer", "supervisor", "director")


class EngineerSeed(NamedTuple):
    username: str
    name: str
    city: str
    skills: tuple[str, ...]
    cert_level: int
    phone: str


ENGINEERS: tuple[EngineerSeed, ...] = (
    EngineerSeed("engineer", "张伟", "深圳", ("HR-E", "HR-M"), 4, "13712340001"),
    EngineerSeed("eng02", "李强", "东莞", ("HR-M", "HR-L"), 3, "13712340002"),
    EngineerSeed("eng03", "王磊", "广州", ("HR-G", "HR-L", "HR-E3200"), 3, "13712340003"),
    EngineerSeed("eng04", "陈晓东", "苏州", ("HR-E", "HR-M5000"), 4, "13812340004"),
    EngineerSeed("eng05", "刘洋", "宁波", ("HR-E", "HR-L"), 2, "13812340005"),
    EngineerSeed("eng06", "杨帆", "上海", ("HR-M", "HR-G"), 5, "13812340006"),
    EngineerSeed("eng07", "赵鹏", "青岛", ("HR-L", "HR-M", "HR-E"), 3, "15912340007"),
    EngineerSeed("eng08", "黄志强", "厦门", ("HR-E", "HR-L"), 3, "15912340008"),
    EngineerSeed("eng09", "周杰", "武汉", ("HR-M", "HR-G", "HR-L", "HR-E"), 4, "18612340009"),
    EngineerSeed("eng10", "吴昊", "成都", ("HR-E", "HR-M", "HR-L"), 3, "18612340010"),
    EngineerSeed("eng11", "徐建国", "天津", ("HR-M", "HR-L", "HR-G", "HR-E"), 5, "13612340011"),
    EngineerSeed("eng12", "孙丽", "杭州", ("HR-E3200", "HR-E3500", "HR-G800", "HR-M"), 2,
                 "13612340012"),
    EngineerSeed("eng13", "马骏", "长沙", ("HR-E", "HR-L", "HR-M"), 2, "17712340013"),
    EngineerSeed("eng14", "朱文斌", "东莞", ("HR-M", "HR-G", "HR-E", "HR-L"), 5, "17712340014"),
    EngineerSeed("eng15", "胡海涛", "重庆", ("HR-L", "HR-G", "HR-M"), 3, "17712340015"),
    EngineerSeed("eng16", "梁志明", "苏州", ("HR-M", "HR-L", "HR-G"), 1, "13512340016"),
)
CERT_TITLES = {1: "助理工程师", 2: "工程师", 3: "工程师", 4: "高级工程师", 5: "首席工程师"}

# who closes what (weights); engineers never close
CLOSERS = {
    "repair": (("agent", 60), ("agent02", 28), ("supervisor", 10), ("admin", 2)),
    "maintenance": (("dispatcher", 55), ("agent", 30), ("agent02", 15)),
    "production_exception": (("supervisor", 95), ("admin", 5)),
}
DESK_UA = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/128.0 Safari/537.36"
APP_UA = "Bihuan-App/1.0 (Android 14; HUAWEI Mate 60)"


# what a customer picks after scanning a machine's QR: the family's usual faults (the code is
# the category the order history uses), then the generic catch-all
FAULT_EN = {
    "伺服报警 AL.21": "Servo alarm AL.21", "射胶压力不稳": "Unstable injection pressure",
    "料筒温度异常": "Barrel temperature fault", "顶针动作异常": "Ejector pin fault",
    "螺杆异响": "Screw noise", "合模不到位": "Mould clamp not closing",
    "主轴异响": "Spindle noise", "定位精度超差": "Positioning accuracy out of tolerance",
    "冷却液泄漏": "Coolant leak", "刀库换刀卡刀": "Tool changer jammed",
    "主轴温升过高": "Spindle overheating", "砂轮主轴振动": "Wheel spindle vibration",
    "液压压力不足": "Low hydraulic pressure", "工作台爬行": "Table stick-slip",
    "卡盘夹紧力不足": "Weak chuck clamping", "刀塔分度报警": "Turret indexing alarm",
}


def fault_presets() -> list[tuple[str, str, str, str]]:
    """(family, code, zh, en) for every family's fault types, plus "other" for each."""
    out = []
    for family, faults in FAULTS.items():
        for f in faults:
            out.append((family, f.fault_type, f.fault_type, FAULT_EN[f.fault_type]))
        out.append((family, "other", "其他问题", "Something else"))
    return out
