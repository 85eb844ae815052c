"""Vietnamese vocabularies and sentence templates for the replica newsrooms.

Written for this project (never copied from real pages). Stories are assembled from these
templates with per-story numbers, names and places, so that every story reads differently while
staying on the themes analysts care about: women-run cooperatives, members, jobs, incomes,
OCOP products and 2030 targets, next to ordinary provincial news.
"""

from __future__ import annotations

from dataclasses import dataclass

SURNAMES = ("Nguyễn", "Lê", "Trần", "Phạm", "Hoàng", "Vũ", "Đỗ", "Bùi", "Đặng", "Ngô",
            "Lò", "Hà", "Cầm", "Đinh", "Trịnh", "Lương", "Mai", "Quách", "Tạ", "Phan")
FEMALE_MIDDLE = ("Thị", "Thị", "Thị", "Thu", "Ngọc", "Thanh", "Minh", "Hồng", "Kim")
FEMALE_GIVEN = ("Hoa", "Lan", "Hương", "Mai", "Thảo", "Hằng", "Nga", "Dung", "Yến", "Huyền",
                "Loan", "Tuyết", "Nhung", "Phượng", "Oanh", "Liên", "Thủy", "Hạnh", "Vân", "Xuân",
                "Sen", "Hiền", "Trang", "Lý", "Chinh", "Gấm", "Nhàn", "Quyên", "Duyên", "Thắm")
MALE_MIDDLE = ("Văn", "Văn", "Đức", "Minh", "Quang", "Hữu", "Công", "Xuân")
MALE_GIVEN = ("Hùng", "Dũng", "Tuấn", "Long", "Hải", "Sơn", "Thắng", "Cường", "Bình", "Nam",
              "Quân", "Phong", "Toàn", "Khoa", "Lâm", "Tiến", "Hiếu", "Thành")

VILLAGE_KINDS = ("thôn", "thôn", "bản", "làng", "khu phố")
VILLAGES = ("Đông", "Trung", "Bắc Sơn", "Yên Thái", "Khò Mường", "Tân Lập", "Hòa Bình", "Phú Xuân",
            "Cao Sơn", "Nà Hin", "Đồng Tâm", "An Lạc", "Thượng", "Hạ", "Mới", "Văn Trung",
            "Cổ Đô", "Bãi Sậy", "Trại Mít", "Đồng Bông", "Tiền Phong", "Ngọc Động")

# communes per province (invented mixes of common names); national papers use GENERIC_COMMUNES
COMMUNES = {
    "Thanh Hóa": ("Xuân Du", "Thọ Lập", "Quảng Phú", "Hoằng Lộc", "Nga Sơn", "Vĩnh Lộc",
                  "Cẩm Thủy", "Bá Thước", "Lang Chánh", "Ngọc Lặc", "Thạch Thành", "Hà Trung",
                  "Hậu Lộc", "Đông Sơn", "Nông Cống", "Quan Hóa", "Mường Lát", "Thường Xuân",
                  "Như Thanh", "Yên Định", "Thiệu Hóa", "Triệu Sơn"),
    "Phú Thọ": ("Thanh Sơn", "Tân Sơn", "Yên Lập", "Cẩm Khê", "Hạ Hòa", "Đoan Hùng", "Phù Ninh",
                "Lâm Thao", "Tam Nông", "Thanh Thủy", "Vĩnh Tường", "Tam Đảo", "Lạc Sơn",
                "Mai Châu", "Tân Lạc", "Kim Bôi", "Thanh Ba", "Xuân Đài", "Minh Đài", "Lập Thạch"),
    "Quảng Ngãi": ("Bình Sơn", "Sơn Tịnh", "Tư Nghĩa", "Nghĩa Hành", "Mộ Đức", "Đức Phổ", "Ba Tơ",
                   "Minh Long", "Sơn Hà", "Sơn Tây", "Trà Bồng", "Lý Sơn", "Đăk Tô", "Ngọc Hồi",
                   "Kon Plông", "Sa Thầy", "Đăk Hà", "Tu Mơ Rông", "Ba Vì", "Nghĩa Giang"),
    "Đà Nẵng": ("Hòa Vang", "Hòa Tiến", "Hòa Phong", "Hòa Ninh", "Hòa Bắc", "Hòa Khương",
                "Điện Bàn", "Duy Xuyên", "Thăng Bình", "Quế Sơn", "Đại Lộc", "Núi Thành",
                "Tiên Phước", "Hiệp Đức", "Nam Giang", "Tây Giang", "Phước Sơn", "Tam Kỳ"),
    "Lạng Sơn": ("Chi Lăng", "Hữu Lũng", "Cao Lộc", "Lộc Bình", "Đình Lập", "Bắc Sơn",
                 "Bình Gia", "Văn Quan", "Văn Lãng", "Tràng Định", "Na Dương", "Đồng Đăng",
                 "Mẫu Sơn", "Tân Thành", "Hoàng Đồng", "Khánh Khê", "Quốc Khánh", "Vũ Lễ"),
    "Nghệ An": ("Diễn Châu", "Yên Thành", "Quỳnh Lưu", "Đô Lương", "Thanh Chương", "Nam Đàn",
                "Hưng Nguyên", "Nghi Lộc", "Anh Sơn", "Con Cuông", "Tương Dương", "Kỳ Sơn",
                "Quế Phong", "Quỳ Châu", "Quỳ Hợp", "Nghĩa Đàn", "Tân Kỳ", "Cửa Lò"),
}
GENERIC_COMMUNES = ("Tân Phú", "Hòa Bình", "Phú Lộc", "Tân An", "Bình Minh", "An Thạnh",
                    "Phước Sơn", "Thanh Lâm", "Đông Hưng", "Tiên Lữ", "Yên Hòa", "Minh Tân",
                    "Long Phú", "Hưng Đạo", "Quang Trung", "Tân Hiệp", "Xuân Sơn", "Phú Cường")
NATIONAL_PROVINCES = ("Lào Cai", "Tuyên Quang", "Thái Nguyên", "Sơn La", "Điện Biên", "Nghệ An",
                      "Hà Tĩnh", "Quảng Trị", "Đắk Lắk", "Lâm Đồng", "Đồng Tháp", "An Giang",
                      "Cà Mau", "Cần Thơ", "Vĩnh Long", "Lai Châu", "Cao Bằng", "Gia Lai",
                      "Khánh Hòa", "Tây Ninh", "Hưng Yên", "Ninh Bình", "Bắc Ninh", "Lạng Sơn")

# (product, cooperative line of business)
PRODUCTS = (
    ("chè xanh", "Chè"), ("mật ong rừng", "Nuôi ong"), ("nem chua", "Chế biến thực phẩm"),
    ("bánh gai", "Bánh truyền thống"), ("miến dong", "Chế biến nông sản"),
    ("mắm tép", "Chế biến thủy sản"), ("nước mắm", "Chế biến thủy sản"),
    ("thổ cẩm", "Dệt thổ cẩm"), ("chiếu cói", "Cói mỹ nghệ"), ("rau an toàn", "Rau an toàn"),
    ("nấm sò", "Trồng nấm"), ("gạo hữu cơ", "Nông nghiệp hữu cơ"), ("bưởi đỏ", "Cây ăn quả"),
    ("cam sành", "Cây ăn quả"), ("măng khô", "Lâm sản"), ("tinh dầu sả", "Dược liệu"),
    ("trà hoa vàng", "Dược liệu"), ("mây tre đan", "Mây tre đan"),
    ("tỏi cô đơn", "Nông sản sạch"), ("bánh tráng", "Bánh truyền thống"),
    ("quế hữu cơ", "Lâm sản"), ("dầu lạc", "Chế biến nông sản"),
    ("gà đồi", "Chăn nuôi"), ("mứt gừng", "Chế biến thực phẩm"), ("rượu men lá", "Đặc sản"),
)
CROPS = ("lúa xuân", "lúa mùa", "ngô", "lạc", "khoai lang", "sắn", "đậu tương", "lúa thu")
CROPS_NEW = ("rau màu", "dưa lưới", "ớt", "bí đỏ", "cây dược liệu", "ổi", "hoa cúc", "ngô ngọt")
SEASONS = ("xuân", "hè thu", "mùa", "đông")
BRIDGES = ("Khe Đá", "Suối Cạn", "Bến Rồng", "Làng Mới", "Ngòi Lao", "Đồng Gianh", "Sông Mã 2",
           "Trà Khúc 3", "Nà Sài", "Cửa Khe", "Bản Chiềng", "Đập Tràn")

AUTHORS = {
    "baothanhhoa": ("P.Y", "Minh Hằng", "Lê Hợi", "Hoài Anh", "Khánh Phương", "Thùy Linh",
                    "Trịnh Phương", "Mai Hạnh"),
    "baophutho": ("Thu Hương", "Hồng Nhung", "Vi Hoa", "Ngọc Lan", "Đinh Vũ", "Phương Thanh"),
    "phunuvietnam": ("Lê Hà", "Hà Trang", "Ngọc Minh", "Thảo Nguyên", "An Nhiên", "Bảo Ngọc"),
    "baoquangngai": ("Thanh Nhị", "Ý Thu", "Bích Ngọc", "Trường Giang", "Phạm Linh",
                     "Thanh Phương"),
    "baodanang": ("Ngọc Hà", "Thu Dung", "Hoàng Hiệp", "Mai Quế", "Xuân Sơn", "Thanh Vân"),
    "baolangson": ("Hoàng Yến", "Lương Thắm", "Nông Hà", "Vi Thảo", "Đinh Hằng", "Hà Linh"),
    "baonghean": ("Quang An", "Thanh Thủy", "Hồ Phương", "Phan Quỳnh", "Xuân Hoàng",
                  "Minh Chi"),
}
BYLINE_PREFIXES = {
    "baothanhhoa": ("Tin, ảnh: ", "Bài, ảnh: ", "", "Bài và ảnh: "),
    "baophutho": ("", "Bài, ảnh: ", "Tin, ảnh: "),
    "phunuvietnam": ("",),
    "baoquangngai": ("Bài, ảnh: ", "Tin, ảnh: ", "", "Bài: "),
    "baodanang": ("",),
    "baolangson": ("", "Bài, ảnh: ", "Tin, ảnh: "),
    "baonghean": ("", "Bài, ảnh: "),
}
CLOSINGS = {
    "baothanhhoa": "Mời bạn đọc đón xem các tin, bài tiếp theo trên Báo Thanh Hóa điện tử.",
    "baophutho": "Bạn đọc theo dõi thêm các tin, bài liên quan trên Báo Phú Thọ điện tử.",
    "phunuvietnam": "Báo Phụ nữ Việt Nam sẽ tiếp tục đồng hành, lan tỏa những câu chuyện truyền "
                    "cảm hứng của phụ nữ Việt Nam.",
    "baoquangngai": "Báo Quảng Ngãi sẽ tiếp tục thông tin về nội dung này trong các số báo "
                    "tiếp theo.",
    "baodanang": "Báo Đà Nẵng sẽ tiếp tục cập nhật thông tin về các mô hình kinh tế do phụ nữ "
                 "làm chủ.",
    "baolangson": "Mời bạn đọc tiếp tục theo dõi các tin, bài trên Báo Lạng Sơn điện tử.",
    "baonghean": "Báo Nghệ An sẽ tiếp tục phản ánh những cách làm hay trên địa bàn tỉnh.",
}
REPUBLISH_NOTES = (
    "Bài viết được đăng lại từ {source}, có bổ sung một số thông tin từ địa phương.",
    "Theo {source}, câu chuyện này đang được nhiều bạn đọc quan tâm, chia sẻ.",
    "Nội dung bài viết được tổng hợp lại từ {source} với sự đồng ý của tòa soạn.",
)


@dataclass(frozen=True)
class Theme:
    """One kind of story: where it is filed, how often, and the templates it is built from."""

    name: str
    category: str  # category key: thoi-su | kinh-te | xa-hoi
    weight: float
    titles: tuple[str, ...]
    leads: tuple[str, ...]
    sections: tuple[tuple[str, ...], ...]  # in reading order; section 0 always opens the story
    tags: tuple[str, ...]
    captions: tuple[str, ...]


COOP = Theme(
    name="coop", category="kinh-te", weight=0.28,
    titles=(
        "{coop}: Nơi phụ nữ {commune_name} làm chủ kinh tế",
        "Nữ giám đốc hợp tác xã ở {commune} tạo việc làm cho {jobs} lao động",
        "Chị {given} và hành trình đưa {product} {commune_name} vươn xa",
        "Hợp tác xã do phụ nữ làm chủ ở {commune} thu hút {members} thành viên",
        "{coop} nâng thu nhập cho {women_members} chị em",
        "Phụ nữ {village} liên kết làm giàu từ {product}",
        "Từ tổ hợp tác đến hợp tác xã {product}: Câu chuyện của chị {person}",
    ),
    leads=(
        "Thành lập năm {year_founded} với {founding_members} thành viên, đến nay {coop} ở "
        "{commune}, tỉnh {province} đã có {members} thành viên, trong đó {women_pct}% là phụ nữ, "
        "tạo việc làm ổn định cho {jobs} lao động địa phương.",
        "Từ một tổ hợp tác nhỏ, chị {person} đã cùng chị em {village} xây dựng {coop} chuyên "
        "sản xuất {product}, mang lại thu nhập bình quân {income} triệu đồng/người/tháng.",
        "Với sự hỗ trợ của Hội Liên hiệp Phụ nữ, {coop} do chị {person} làm giám đốc đã trở "
        "thành điểm sáng trong phát triển kinh tế tập thể tại {commune}.",
    ),
    sections=(
        ("Năm {year_founded}, khi chị {person} vận động {founding_members} chị em trong {village} "
         "góp vốn thành lập hợp tác xã, nhiều người còn e ngại vì chưa từng làm kinh tế tập thể.",
         "Trước đây, phụ nữ ở {village} chủ yếu làm nông, thu nhập bấp bênh và phụ thuộc nhiều "
         "vào thời tiết.",
         "Ý tưởng thành lập hợp tác xã bắt đầu từ những buổi sinh hoạt chi hội phụ nữ, khi các "
         "chị bàn nhau cách tiêu thụ {product} với giá ổn định hơn.",
         "Số vốn ban đầu chỉ khoảng {start_capital} triệu đồng, chủ yếu do các thành viên tự góp "
         "và vay từ quỹ tiết kiệm của Hội Phụ nữ xã."),
        ("Đến nay, hợp tác xã có {members} thành viên, trong đó {women_members} thành viên là "
         "nữ, chiếm {women_pct}%.",
         "Ban quản trị gồm {board} người, tất cả đều là phụ nữ, do chị {given} làm chủ tịch hội "
         "đồng quản trị kiêm giám đốc.",
         "Mỗi năm, hợp tác xã kết nạp thêm từ {new_low} đến {new_high} thành viên mới, phần lớn "
         "là lao động nữ trung tuổi và phụ nữ dân tộc thiểu số.",
         "Mỗi năm có {trainees_coop} lượt thành viên được tập huấn kỹ thuật, ghi chép sổ sách "
         "và bán hàng qua mạng xã hội."),
        ("Hợp tác xã hiện tạo việc làm thường xuyên cho {jobs} lao động, vào mùa cao điểm con số "
         "này lên tới {seasonal_jobs} người.",
         "Nhờ có việc làm gần nhà, nhiều chị em ở {village} không phải đi làm thuê xa, có thời "
         "gian chăm sóc con cái và gia đình.",
         "Lao động làm việc tại xưởng được trả công theo sản phẩm, bình quân {daily_wage} nghìn "
         "đồng mỗi ngày."),
        ("Thu nhập bình quân của thành viên đạt {income} triệu đồng/người/tháng, tăng gần "
         "{income_growth}% so với trước khi tham gia hợp tác xã.",
         "Năm {last_year}, doanh thu của hợp tác xã đạt khoảng {revenue} tỷ đồng, lợi nhuận sau "
         "thuế hơn {profit} triệu đồng.",
         "Đã có {poor_out} hộ thành viên thoát nghèo, có điều kiện sửa sang nhà cửa và cho con "
         "đi học đầy đủ."),
        ("Sản phẩm chính của hợp tác xã là {product}, được sản xuất theo quy trình khép kín từ "
         "khâu nguyên liệu đến đóng gói.",
         "Vùng nguyên liệu của hợp tác xã rộng {area} ha, áp dụng quy trình sản xuất an toàn, "
         "hạn chế phân bón hóa học.",
         "Bên cạnh {product}, hợp tác xã đang thử nghiệm thêm {product2} để đa dạng hóa sản "
         "phẩm.",
         "Mỗi năm, hợp tác xã cung cấp ra thị trường khoảng {output} tấn sản phẩm các loại."),
        ("Năm {ocop_year}, sản phẩm {product} của hợp tác xã được công nhận đạt chuẩn OCOP "
         "{stars} sao.",
         "Việc đạt chuẩn OCOP giúp {product} có mặt tại {stores} siêu thị, cửa hàng đặc sản và "
         "trên sàn thương mại điện tử.",
         "Sau khi có chứng nhận OCOP, giá bán sản phẩm tăng khoảng {price_growth}%, đơn hàng ổn "
         "định quanh năm."),
        ("Hợp tác xã đã ký hợp đồng bao tiêu với {partners} doanh nghiệp và đại lý trong và "
         "ngoài tỉnh.",
         "Các chị em thay phiên nhau livestream giới thiệu sản phẩm, có tháng bán được hơn "
         "{online_orders} đơn hàng qua mạng.",
         "Tem truy xuất nguồn gốc bằng mã QR được dán trên từng sản phẩm, giúp người tiêu dùng "
         "yên tâm hơn."),
        ("Tuy vậy, {coop} vẫn gặp không ít khó khăn về vốn, mặt bằng sản xuất và máy móc chế "
         "biến.",
         "Chị {given} cho biết, nhiều khoản vay ưu đãi đòi hỏi thủ tục phức tạp, trong khi thành "
         "viên phần lớn là phụ nữ nông thôn chưa quen với hồ sơ, giấy tờ.",
         "Giá vật tư đầu vào tăng khoảng {input_growth}% cũng khiến lợi nhuận của hợp tác xã bị "
         "thu hẹp trong năm {last_year}."),
        ("Hội Liên hiệp Phụ nữ xã đã hỗ trợ hợp tác xã tiếp cận nguồn vốn vay {loan} triệu đồng "
         "từ Ngân hàng Chính sách xã hội.",
         "Thông qua Đề án “Hỗ trợ phụ nữ khởi nghiệp”, hợp tác xã được hỗ trợ {design_support} "
         "triệu đồng thiết kế bao bì, nhãn mác và tham gia hội chợ xúc tiến thương mại.",
         "Chính quyền địa phương cũng tạo điều kiện về mặt bằng để hợp tác xã xây dựng nhà xưởng "
         "rộng {workshop} m²."),
        ("“Khi làm chủ hợp tác xã, chị em tự tin hơn, dám nghĩ dám làm và có tiếng nói hơn trong "
         "gia đình”, chị {given} chia sẻ.",
         "Chị {member_name}, thành viên hợp tác xã, cho biết từ khi tham gia, thu nhập của gia "
         "đình chị ổn định hơn hẳn.",
         "“Điều tôi mong nhất là các chị có việc làm ổn định ngay tại quê”, chị {given} nói."),
        ("Thời gian tới, hợp tác xã đặt mục tiêu đến năm 2030 phát triển lên {target_members} "
         "thành viên và tạo việc làm cho {target_jobs} lao động.",
         "Hợp tác xã phấn đấu đến năm 2030 có thêm {target_ocop} sản phẩm đạt chuẩn OCOP và mở "
         "rộng vùng nguyên liệu lên {target_area} ha.",
         "Theo kế hoạch của tỉnh {province}, đến năm 2030 toàn tỉnh có ít nhất {target_coops} "
         "hợp tác xã do phụ nữ quản lý hoặc tham gia quản lý."),
    ),
    tags=("hợp tác xã", "phụ nữ", "kinh tế tập thể", "khởi nghiệp", "OCOP"),
    captions=("Chị {person} (bên phải) giới thiệu sản phẩm {product} của hợp tác xã.",
              "Thành viên {coop} đóng gói sản phẩm.",
              "Vùng nguyên liệu của hợp tác xã tại {commune}.",
              "Các thành viên hợp tác xã trao đổi kinh nghiệm sản xuất."),
)

UNION = Theme(
    name="union", category="xa-hoi", weight=0.16,
    titles=(
        "{province} có {current_coops} hợp tác xã do phụ nữ làm chủ",
        "Hội LHPN tỉnh {province} hỗ trợ thành lập {new_coops} hợp tác xã, tổ hợp tác của phụ nữ",
        "Phấn đấu đến năm 2030 có {target_coops} hợp tác xã do phụ nữ quản lý ở {province}",
        "Hỗ trợ {union_members} phụ nữ {province} khởi nghiệp, phát triển kinh tế tập thể",
        "Giải ngân {loan_total} tỷ đồng giúp phụ nữ {province} làm kinh tế",
    ),
    leads=(
        "Ngày {day}/{month}, Hội Liên hiệp Phụ nữ tỉnh {province} tổ chức hội nghị sơ kết công "
        "tác hỗ trợ phụ nữ phát triển kinh tế tập thể giai đoạn {period}.",
        "Toàn tỉnh {province} hiện có {current_coops} hợp tác xã do phụ nữ làm chủ hoặc tham gia "
        "quản lý, thu hút hàng nghìn thành viên và tạo việc làm ổn định cho lao động nữ.",
        "Sau {years} năm thực hiện Đề án “Hỗ trợ phụ nữ khởi nghiệp”, các cấp Hội phụ nữ tỉnh "
        "{province} đã hỗ trợ thành lập {new_coops} hợp tác xã và {new_groups} tổ hợp tác.",
    ),
    sections=(
        ("Tham dự hội nghị có đại diện Trung ương Hội LHPN Việt Nam, Liên minh Hợp tác xã tỉnh "
         "{province} và {delegates} đại biểu là giám đốc các hợp tác xã.",
         "Hội nghị đánh giá kết quả hỗ trợ phụ nữ khởi nghiệp, phát triển kinh tế tập thể giai "
         "đoạn {period} và bàn giải pháp cho giai đoạn mới.",
         "Đây là dịp để các cấp Hội chia sẻ cách làm hay, mô hình hiệu quả trong đồng hành cùng "
         "hội viên làm kinh tế."),
        ("Theo báo cáo, toàn tỉnh hiện có {current_coops} hợp tác xã do phụ nữ làm chủ hoặc tham "
         "gia quản lý, tăng {coop_growth} hợp tác xã so với năm {base_year}.",
         "Các hợp tác xã này thu hút {union_members} thành viên, tạo việc làm cho khoảng "
         "{union_jobs} lao động, trong đó hơn {women_pct}% là lao động nữ.",
         "Riêng năm {last_year}, các cấp Hội đã hỗ trợ thành lập mới {new_coops} hợp tác xã và "
         "{new_groups} tổ hợp tác."),
        ("Thu nhập bình quân của lao động trong các hợp tác xã do phụ nữ làm chủ đạt từ "
         "{income_low} đến {income} triệu đồng/người/tháng.",
         "Nhiều mô hình có doanh thu hàng tỷ đồng mỗi năm, tiêu biểu như {coop} ở {commune} và "
         "{coop2} ở {commune2}.",
         "Một số hợp tác xã đã mở rộng liên kết, bao tiêu sản phẩm cho {link_households} hộ hội "
         "viên."),
        ("Đáng chú ý, có {ocop_total} sản phẩm của các hợp tác xã do phụ nữ làm chủ đã đạt chuẩn "
         "OCOP từ 3 sao trở lên.",
         "Các sản phẩm như {product}, {product2} đã có mặt trong chuỗi siêu thị và được giới "
         "thiệu tại nhiều hội chợ lớn."),
        ("Các cấp Hội đã phối hợp giải ngân {loan_total} tỷ đồng vốn vay ưu đãi cho "
         "{loan_households} hộ hội viên phát triển sản xuất.",
         "Nguồn vốn ủy thác qua Ngân hàng Chính sách xã hội, với dư nợ {debt} tỷ đồng, tiếp tục "
         "là kênh hỗ trợ quan trọng giúp phụ nữ khởi nghiệp."),
        ("Trong năm, Hội đã tổ chức {trainings} lớp tập huấn về quản trị hợp tác xã, kỹ năng "
         "kinh doanh và chuyển đổi số cho {trainees} lượt cán bộ, hội viên.",
         "Đã có {digital} hợp tác xã do phụ nữ làm chủ bán hàng qua các sàn thương mại điện tử, "
         "mạng xã hội."),
        ("Bên cạnh kết quả đạt được, quy mô của phần lớn hợp tác xã do phụ nữ làm chủ còn nhỏ, "
         "bình quân chỉ {avg_members} thành viên, vốn ít, khả năng liên kết thị trường còn hạn "
         "chế.",
         "Có {weak} hợp tác xã hoạt động cầm chừng, chưa xây dựng được thương hiệu cho sản "
         "phẩm.",
         "Năng lực quản trị, kế toán của một bộ phận cán bộ hợp tác xã chưa đáp ứng yêu cầu."),
        ("Phát biểu tại hội nghị, bà {official}, Chủ tịch Hội LHPN tỉnh, đề nghị các cấp Hội "
         "tiếp tục đồng hành với phụ nữ trong khởi nghiệp, phát triển kinh tế.",
         "“Chúng tôi xác định hỗ trợ phụ nữ làm chủ hợp tác xã là giải pháp căn cơ để nâng cao "
         "vị thế của phụ nữ”, bà {official} nhấn mạnh."),
        ("Giai đoạn 2026 - 2030, Hội LHPN tỉnh phấn đấu mỗi năm hỗ trợ thành lập ít nhất "
         "{target_new} hợp tác xã, tổ hợp tác do phụ nữ làm chủ.",
         "Mục tiêu đến năm 2030, toàn tỉnh có {target_coops} hợp tác xã do phụ nữ quản lý, "
         "{target_ocop} sản phẩm OCOP của phụ nữ và tạo việc làm cho {target_jobs} lao động nữ."),
        ("Dịp này, {award_groups} tập thể và {award_people} cá nhân có thành tích xuất sắc được "
         "khen thưởng.",
         "Bên lề hội nghị, các hợp tác xã đã trưng bày, giới thiệu hơn {stalls} sản phẩm tiêu "
         "biểu."),
    ),
    tags=("Hội LHPN", "hợp tác xã", "phụ nữ khởi nghiệp", "kinh tế tập thể", "bình đẳng giới"),
    captions=("Quang cảnh hội nghị.",
              "Lãnh đạo Hội LHPN tỉnh {province} trao khen thưởng cho các tập thể.",
              "Sản phẩm của các hợp tác xã do phụ nữ làm chủ được trưng bày bên lề hội nghị."),
)

OCOP = Theme(
    name="ocop", category="kinh-te", weight=0.14,
    titles=(
        "{province} có thêm {ocop_new} sản phẩm đạt chuẩn OCOP",
        "{Product} của {coop} đạt chuẩn OCOP {stars} sao",
        "Nâng hạng sản phẩm OCOP: {commune_cap} có {ocop_total} sản phẩm đạt từ 3 sao",
        "Phát triển sản phẩm OCOP gắn với vai trò của phụ nữ ở {commune} với {ocop_total} "
        "sản phẩm",
    ),
    leads=(
        "Hội đồng đánh giá, phân hạng sản phẩm OCOP cấp tỉnh vừa công nhận {ocop_new} sản phẩm "
        "đạt chuẩn, nâng tổng số sản phẩm OCOP của tỉnh {province} lên {ocop_province} sản phẩm.",
        "Sau nhiều năm gắn bó với nghề làm {product}, chị {person} ở {commune} đã đưa sản phẩm "
        "của hợp tác xã đạt chuẩn OCOP {stars} sao.",
    ),
    sections=(
        ("Trong đợt này, có {ocop_4} sản phẩm đạt 4 sao, còn lại đạt 3 sao.",
         "Các sản phẩm được công nhận thuộc {groups} nhóm như thực phẩm, đồ uống, thủ công mỹ "
         "nghệ và dược liệu.",
         "Đây là kết quả của quá trình chuẩn bị công phu từ khâu nguyên liệu đến bao bì, nhãn "
         "mác."),
        ("{Product} của {coop} ở {commune} là một trong những sản phẩm được đánh giá cao nhờ "
         "chất lượng ổn định và bao bì đẹp.",
         "Chủ thể sản phẩm là chị {person}, người đã gắn bó với nghề làm {product} hơn "
         "{craft_years} năm."),
        ("Đáng chú ý, khoảng {women_ocop_pct}% chủ thể OCOP trên địa bàn là hợp tác xã, cơ sở do "
         "phụ nữ làm chủ.",
         "Tại {commune}, chị em phụ nữ không chỉ là người trực tiếp sản xuất mà còn tham gia "
         "quản lý, tiếp thị và bán hàng."),
        ("Để đạt chuẩn, {product} phải đáp ứng các tiêu chí về chất lượng, an toàn thực phẩm, "
         "truy xuất nguồn gốc và khả năng phát triển thị trường.",
         "Quá trình hoàn thiện hồ sơ kéo dài gần {months} tháng, với sự hướng dẫn của cán bộ "
         "nông nghiệp xã."),
        ("Sau khi đạt chuẩn OCOP, sản lượng tiêu thụ tăng khoảng {price_growth}%, nhiều đơn hàng "
         "đến từ các tỉnh phía Nam.",
         "Sản phẩm đã được bày bán tại {stores} cửa hàng giới thiệu sản phẩm OCOP và trên các "
         "sàn thương mại điện tử."),
        ("Cơ sở hiện tạo việc làm cho {jobs} lao động, chủ yếu là phụ nữ địa phương, với thu "
         "nhập {income} triệu đồng/người/tháng.",
         "Vào dịp cuối năm, cơ sở phải thuê thêm {seasonal_jobs} lao động thời vụ mới kịp đơn "
         "hàng."),
        ("Tỉnh hỗ trợ mỗi sản phẩm đạt 3 sao {ocop_support} triệu đồng, sản phẩm đạt 4 sao được "
         "hỗ trợ cao hơn để tiếp tục đầu tư.",
         "Ngoài ra, các chủ thể còn được hỗ trợ tham gia {fairs} hội chợ, xây dựng tem truy xuất "
         "nguồn gốc."),
        ("Chị {person} cho biết, đạt chuẩn OCOP mới chỉ là bước khởi đầu, điều quan trọng là giữ "
         "được chất lượng và uy tín với khách hàng.",
         "“Chúng tôi sẽ đầu tư thêm máy móc để nâng sản phẩm lên 4 sao trong vài năm tới”, chị "
         "{given} nói."),
        ("Theo kế hoạch, đến năm 2030 tỉnh {province} phấn đấu có {target_ocop_province} sản "
         "phẩm OCOP, trong đó ít nhất {target_5star} sản phẩm đạt 5 sao.",
         "Ngành nông nghiệp {province} sẽ tiếp tục rà soát, hỗ trợ các chủ thể nâng hạng sản "
         "phẩm và mở rộng thị trường."),
    ),
    tags=("OCOP", "sản phẩm OCOP", "nông thôn mới", "hợp tác xã", "phụ nữ"),
    captions=("Sản phẩm {product} đạt chuẩn OCOP {stars} sao.",
              "Chị {person} kiểm tra chất lượng sản phẩm trước khi xuất bán.",
              "Gian hàng giới thiệu sản phẩm OCOP của tỉnh {province}."),
)

AGRI = Theme(
    name="agri", category="kinh-te", weight=0.14,
    titles=(
        "Nông dân {commune_name} thu hoạch {crop}, năng suất đạt {yield_} tạ/ha",
        "{commune_cap} chuyển đổi {area} ha đất kém hiệu quả sang trồng {crop2}",
        "Trồng {crop2} cho thu nhập {income} triệu đồng mỗi tháng ở {village}",
        "Vụ {season} ở {commune}: {households} hộ liên kết sản xuất {crop}",
    ),
    leads=(
        "Những ngày này, nông dân {commune}, tỉnh {province} đang tập trung thu hoạch {crop} vụ "
        "{season}. Năng suất ước đạt {yield_} tạ/ha, cao hơn vụ trước.",
        "Thực hiện chủ trương chuyển đổi cơ cấu cây trồng, {commune} đã chuyển {area} ha đất "
        "trồng lúa kém hiệu quả sang trồng {crop2}, bước đầu cho hiệu quả kinh tế cao.",
    ),
    sections=(
        ("Toàn xã có {area} ha {crop}, trong đó khoảng {pct}% diện tích sử dụng giống mới có "
         "năng suất cao.",
         "Để kịp thời vụ, nhiều hộ ở {village} đã thuê máy gặt đập liên hợp, giảm đáng kể chi "
         "phí và công lao động.",
         "Thời tiết thuận lợi, sâu bệnh ít nên {crop} sinh trưởng, phát triển tốt."),
        ("Theo ông {official_m}, Chủ tịch UBND xã, giá bán {crop} năm nay ổn định ở mức "
         "{price} nghìn đồng/kg.",
         "Với giá bán này, sau khi trừ chi phí, mỗi sào nông dân lãi khoảng {profit_sao} triệu "
         "đồng.",
         "Thương lái đến tận ruộng ở {village} thu mua nên bà con không phải lo đầu ra."),
        ("Những năm gần đây, {commune} khuyến khích nông dân liên kết với doanh nghiệp để sản xuất "
         "theo chuỗi.",
         "Hiện có {households} hộ tham gia liên kết, diện tích {link_area} ha được bao tiêu "
         "toàn bộ sản phẩm.",
         "Có {coop_groups} tổ hợp tác do phụ nữ làm tổ trưởng đã đứng ra ký hợp đồng và điều "
         "phối việc thu hoạch."),
        ("Việc chuyển đổi sang trồng {crop2} giúp giảm công chăm sóc, tiết kiệm nước tưới.",
         "Thu nhập từ {crop2} cao gấp {times} lần so với trồng lúa trên cùng diện tích.",
         "Một số hộ đã mạnh dạn đầu tư hệ thống tưới nhỏ giọt, nhà lưới rộng {greenhouse} m² để "
         "sản xuất quanh năm."),
        ("Bà {member_name}, nông dân {village}, cho biết gia đình bà có {sao} sào {crop2}, mỗi "
         "vụ thu về hơn {income_crop} triệu đồng.",
         "“Trồng {crop2} nhàn hơn trồng lúa mà thu nhập lại khá hơn nhiều”, bà {member_given} "
         "chia sẻ."),
        ("Tuy nhiên, sản xuất nông nghiệp ở {commune} vẫn còn nhiều rủi ro do thời tiết diễn "
         "biến thất thường.",
         "Khoảng {flooded} ha ở vùng trũng bị ngập úng cục bộ sau các đợt mưa lớn.",
         "Ngành nông nghiệp khuyến cáo bà con theo dõi dự báo thời tiết, thu hoạch nhanh gọn "
         "theo phương châm “xanh nhà hơn già đồng”."),
        ("Thời gian tới, {commune} tiếp tục mở rộng diện tích sản xuất an toàn, hướng tới xây dựng "
         "vùng nguyên liệu tập trung.",
         "Mục tiêu đến năm 2030, xã có ít nhất {target_area} ha sản xuất theo tiêu chuẩn VietGAP "
         "hoặc hữu cơ.",
         "Địa phương cũng hỗ trợ các hợp tác xã xây dựng nhãn hiệu, hướng tới đăng ký sản phẩm "
         "OCOP."),
    ),
    tags=("nông nghiệp", "chuyển đổi cây trồng", "nông thôn mới", "liên kết sản xuất"),
    captions=("Nông dân {commune} thu hoạch {crop}.",
              "Mô hình trồng {crop2} tại {village}.",
              "Máy gặt đập liên hợp hoạt động trên cánh đồng {commune}."),
)

INFRA = Theme(
    name="infra", category="thoi-su", weight=0.16,
    titles=(
        "Khởi công tuyến đường dài {km} km nối {commune} với {commune2}",
        "Đưa vào sử dụng cầu {bridge} với tổng vốn đầu tư {budget} tỷ đồng",
        "{commune_cap} hoàn thành {km} km đường giao thông nông thôn",
        "{households} hộ dân {commune_name} hiến đất mở rộng đường liên thôn",
    ),
    leads=(
        "Sáng {day}/{month}, UBND tỉnh {province} tổ chức lễ khởi công dự án nâng cấp tuyến "
        "đường nối {commune} với {commune2}, tổng chiều dài {km} km.",
        "Sau {months} tháng thi công, công trình cầu {bridge} ở {commune} đã hoàn thành và chính "
        "thức đưa vào sử dụng, đáp ứng nhu cầu đi lại của hàng nghìn người dân.",
    ),
    sections=(
        ("Dự án có tổng mức đầu tư {budget} tỷ đồng từ nguồn ngân sách tỉnh và vốn đối ứng của "
         "địa phương.",
         "Tuyến đường được thiết kế theo tiêu chuẩn đường cấp IV miền núi, mặt đường rộng "
         "{width} m.",
         "Đơn vị thi công cam kết hoàn thành công trình trong vòng {months} tháng."),
        ("Trước đây, tuyến đường cũ dài {old_km} km xuống cấp nghiêm trọng, nhiều đoạn lầy lội "
         "vào mùa mưa.",
         "Việc đi lại, vận chuyển {product} và nông sản của người dân {village} gặp rất nhiều "
         "khó khăn.",
         "Học sinh phải đi vòng thêm gần {detour} km để đến trường."),
        ("Để có mặt bằng thi công, {households} hộ dân đã tự nguyện hiến đất, tháo dỡ tường rào, "
         "cây cối.",
         "Tổng diện tích đất người dân hiến là {land} m², có hộ hiến hơn {land_max} m² mà không "
         "nhận đền bù.",
         "Hội Phụ nữ và Đoàn Thanh niên xã đã vận động hội viên đóng góp {workdays} ngày công "
         "làm đường."),
        ("Phát biểu tại buổi lễ, ông {official_m}, Phó Chủ tịch UBND tỉnh, yêu cầu chủ đầu tư và "
         "nhà thầu bảo đảm chất lượng, tiến độ và an toàn lao động.",
         "Lãnh đạo tỉnh đề nghị {commune} và {commune2} tiếp tục phối hợp chặt chẽ trong công "
         "tác giải phóng mặt bằng."),
        ("Khi hoàn thành, công trình sẽ rút ngắn thời gian đi lại giữa hai xã xuống còn khoảng "
         "{minutes} phút.",
         "Tuyến đường cũng mở ra cơ hội phát triển du lịch cộng đồng ở {village} và tiêu thụ "
         "{product2} cho người dân.",
         "{coops_n} hợp tác xã trên địa bàn kỳ vọng giảm được khoảng {price_growth}% chi phí "
         "vận chuyển hàng hóa."),
        ("Năm {year}, tỉnh {province} ưu tiên bố trí vốn cho {projects} dự án giao thông kết nối "
         "vùng.",
         "Đến năm 2030, tỉnh phấn đấu cứng hóa 100% đường trục xã và {rural_pct}% đường liên "
         "thôn."),
        ("Ông {person_m}, người dân {village}, cho biết bà con mong chờ con đường từ nhiều năm "
         "nay.",
         "“Có đường mới, xe tải vào tận thôn thu mua nông sản, đời sống của bà con chắc chắn sẽ "
         "khá hơn”, ông {person_m_given} nói."),
    ),
    tags=("giao thông", "hạ tầng", "đầu tư công", "nông thôn mới"),
    captions=("Các đại biểu thực hiện nghi thức khởi công công trình.",
              "Tuyến đường mới giúp người dân {commune} đi lại thuận tiện hơn.",
              "Công nhân thi công trên công trường."),
)

HEALTH = Theme(
    name="health", category="xa-hoi", weight=0.12,
    titles=(
        "Khám sàng lọc miễn phí cho {patients} phụ nữ ở {commune}",
        "Đưa dịch vụ y tế về gần {patients} phụ nữ vùng cao {commune_name}",
        "Tư vấn sức khỏe sinh sản cho {patients} chị em {village}",
    ),
    leads=(
        "Ngày {day}/{month}, Hội LHPN tỉnh {province} phối hợp với Bệnh viện Phụ sản tổ chức "
        "khám sàng lọc ung thư vú, ung thư cổ tử cung miễn phí cho {patients} phụ nữ tại "
        "{commune}.",
        "Chương trình chăm sóc sức khỏe sinh sản cho phụ nữ vùng khó khăn đã đến với {patients} "
        "chị em ở {commune}, tỉnh {province}.",
    ),
    sections=(
        ("Đối tượng được ưu tiên là phụ nữ thuộc hộ nghèo, cận nghèo ở {commune} và các xã lân "
         "cận, trong độ tuổi từ {age_low} đến {age_high}.",
         "Các chị được khám lâm sàng, siêu âm, làm xét nghiệm và được {doctors} y, bác sĩ tư "
         "vấn về chăm sóc sức khỏe sinh sản.",
         "Mỗi người còn được phát tài liệu hướng dẫn tự phát hiện các dấu hiệu bất thường và "
         "{gift_value} nghìn đồng hỗ trợ đi lại."),
        ("Qua khám, các bác sĩ phát hiện {abnormal} trường hợp có dấu hiệu bất thường và đã tư "
         "vấn chuyển tuyến điều trị kịp thời.",
         "Theo bác sĩ {official}, nhiều chị em ở {village} lần đầu tiên được khám chuyên khoa "
         "phụ sản dù đã ngoài {age_first} tuổi."),
        ("Chị {member_name}, {village}, cho biết do bận việc đồng áng nên đã nhiều năm chị không "
         "đi khám sức khỏe.",
         "“Được bác sĩ khám ngay tại trạm y tế xã, chị em chúng tôi rất yên tâm”, chị "
         "{member_given} chia sẻ."),
        ("Tổng kinh phí của chương trình khoảng {budget_m} triệu đồng, do các nhà tài trợ và "
         "Hội LHPN tỉnh vận động.",
         "Ngoài khám bệnh, ban tổ chức còn trao {gifts} suất quà cho phụ nữ có hoàn cảnh khó "
         "khăn."),
        ("Theo Sở Y tế tỉnh {province}, tỷ lệ phụ nữ được sàng lọc ung thư cổ tử cung trên địa "
         "bàn mới đạt khoảng {screen_pct}%.",
         "Ngành y tế đặt mục tiêu đến năm 2030 nâng tỷ lệ này lên ít nhất {target_screen}%."),
        ("Trong năm {year}, các cấp Hội phụ nữ trong tỉnh đã tổ chức {sessions} buổi truyền "
         "thông về chăm sóc sức khỏe cho hội viên.",
         "Mô hình “Câu lạc bộ phụ nữ chăm sóc sức khỏe sinh sản” đã được nhân rộng ra {clubs} "
         "xã, phường."),
        ("Bà {official}, Phó Chủ tịch Hội LHPN tỉnh, cho biết chương trình sẽ tiếp tục được tổ "
         "chức tại các xã miền núi trong thời gian tới.",
         "Hội cũng kiến nghị đưa nội dung khám sàng lọc định kỳ vào kế hoạch chăm sóc sức khỏe "
         "ban đầu của {communes_n} xã trong năm {next_year}."),
    ),
    tags=("y tế", "sức khỏe phụ nữ", "Hội LHPN", "an sinh xã hội"),
    captions=("Bác sĩ khám cho phụ nữ {commune}.",
              "Chị em phụ nữ được tư vấn về chăm sóc sức khỏe sinh sản.",
              "Trao quà cho phụ nữ có hoàn cảnh khó khăn."),
)

THEMES = (COOP, UNION, OCOP, AGRI, INFRA, HEALTH)
