#!/usr/bin/env python3
"""Write demo/map.json: the administrative map of the demo (Hải Dương as in 2024, Hải Phòng after
1 July 2025, successor links from the old units).

Sources and confidence (see docs/RULES.md §D11 and §R6):
* names of the twelve district-level units and of the departments: the 2024 plan's appendix;
* district codes 288–300 and province codes 30 / 31: the GSO catalogue as recalled [R];
* commune codes: DEMO codes (HD-…, HP-…), because the 2025 national codes are not known [U];
  import the official catalogue to replace them;
* agency electronic identifiers: Hải Dương H23 and Hải Phòng H24 are inferred [U] (docs/RULES.md §R6.2),
  the rest of each code is a demo numbering.
Re-run after editing: python3 scripts/demo_map.py
"""
import json, pathlib

OLD_FROM, CUT = "1997-01-01", "2025-07-01"
units, links, agencies = [], [], []

def unit(code, name, level, parent, valid_from=OLD_FROM, valid_to=None):
    units.append({"code": code, "name": name, "level": level, "parent": parent,
                  "valid_from": valid_from, "valid_to": valid_to})

def agency(code, name, kind, parent, unit_code, valid_from=OLD_FROM, valid_to=None):
    agencies.append({"code": code, "name": name, "kind": kind, "parent": parent, "unit": unit_code,
                     "valid_from": valid_from, "valid_to": valid_to})

unit("30", "Tỉnh Hải Dương", "province", None, valid_to=CUT)
unit("31", "Thành phố Hải Phòng", "province", None)
links.append({"from": "30", "to": "31", "share": None})

# Twelve district-level units of the 2024 appendix, with a few communes each (name, level), and
# the post-2025 Hải Phòng commune-level unit that took each old commune.
districts = [
    ("288", "Thành phố Hải Dương", [("Phường Trần Hưng Đạo", "ward", "Phường Hải Dương"),
                                    ("Phường Nguyễn Trãi", "ward", "Phường Lê Thanh Nghị"),
                                    ("Phường Tân Bình", "ward", "Phường Thành Đông")]),
    ("290", "Thành phố Chí Linh", [("Phường Sao Đỏ", "ward", "Phường Chu Văn An"),
                                   ("Phường Phả Lại", "ward", "Phường Trần Hưng Đạo"),
                                   ("Phường Cộng Hòa", "ward", "Phường Chí Linh")]),
    ("291", "Huyện Nam Sách", [("Thị trấn Nam Sách", "township", "Xã Nam Sách"),
                               ("Xã Nam Hồng", "commune", "Xã Nam An Phụ"),
                               ("Xã An Sơn", "commune", "Xã Thái Tân")]),
    ("292", "Thị xã Kinh Môn", [("Phường An Lưu", "ward", "Phường Kinh Môn"),
                                ("Phường Minh Tân", "ward", "Phường Bắc An Phụ"),
                                ("Phường Phú Thứ", "ward", "Phường Phạm Sư Mạnh")]),
    ("293", "Huyện Kim Thành", [("Thị trấn Phú Thái", "township", "Xã Phú Thái"),
                                ("Xã Lai Khê", "commune", "Xã Lai Khê"),
                                ("Xã Kim Xuyên", "commune", "Xã Kim Thành")]),
    ("294", "Huyện Thanh Hà", [("Thị trấn Thanh Hà", "township", "Xã Thanh Hà"),
                               ("Xã Thanh Xuân", "commune", "Xã Hà Tây"),
                               ("Xã Tân An", "commune", "Xã Hà Bắc")]),
    ("295", "Huyện Cẩm Giàng", [("Thị trấn Lai Cách", "township", "Xã Tuệ Tĩnh"),
                                ("Thị trấn Cẩm Giang", "township", "Xã Cẩm Giang"),
                                ("Xã Cẩm Điền", "commune", "Xã Mao Điền")]),
    ("296", "Huyện Bình Giang", [("Thị trấn Kẻ Sặt", "township", "Xã Kẻ Sặt"),
                                 ("Xã Thái Học", "commune", "Xã Đường An"),
                                 ("Xã Hùng Thắng", "commune", "Xã Thượng Hồng")]),
    ("297", "Huyện Gia Lộc", [("Thị trấn Gia Lộc", "township", "Xã Gia Lộc"),
                              ("Xã Yết Kiêu", "commune", "Xã Yết Kiêu"),
                              ("Xã Gia Tân", "commune", "Xã Gia Phúc")]),
    ("298", "Huyện Tứ Kỳ", [("Thị trấn Tứ Kỳ", "township", "Xã Tứ Kỳ"),
                            ("Xã Đại Sơn", "commune", "Xã Đại Sơn"),
                            ("Xã Quang Phục", "commune", "Xã Lạc Phượng")]),
    ("299", "Huyện Ninh Giang", [("Thị trấn Ninh Giang", "township", "Xã Ninh Giang"),
                                 ("Xã Vĩnh Hòa", "commune", "Xã Vĩnh Lại"),
                                 ("Xã Hồng Phong", "commune", "Xã Khúc Thừa Dụ")]),
    ("300", "Huyện Thanh Miện", [("Thị trấn Thanh Miện", "township", "Xã Thanh Miện"),
                                 ("Xã Lam Sơn", "commune", "Xã Nam Thanh Miện"),
                                 ("Xã Ngũ Hùng", "commune", "Xã Bắc Thanh Miện")]),
]

# Agencies of Hải Dương as in 2024 (QCVN 102 format, level 1 = H23 [U]).
HD = "H23"
agency(f"000.00.00.{HD}", "Ủy ban nhân dân tỉnh Hải Dương", "provincial_committee", None, "30", valid_to=CUT)
hd_depts = [
    ("01", "Văn phòng Ủy ban nhân dân tỉnh Hải Dương", "department"),
    ("02", "Trung tâm Phục vụ hành chính công tỉnh Hải Dương", "service_centre"),
    ("03", "Sở Tài nguyên và Môi trường tỉnh Hải Dương", "department"),
    ("04", "Sở Nông nghiệp và Phát triển nông thôn tỉnh Hải Dương", "department"),
    ("05", "Ban Quản lý các khu công nghiệp tỉnh Hải Dương", "department"),
    ("06", "Sở Giáo dục và Đào tạo tỉnh Hải Dương", "department"),
    ("07", "Sở Kế hoạch và Đầu tư tỉnh Hải Dương", "department"),
    ("08", "Sở Tư pháp tỉnh Hải Dương", "department"),
    ("09", "Sở Xây dựng tỉnh Hải Dương", "department"),
    ("10", "Sở Nội vụ tỉnh Hải Dương", "department"),
    ("11", "Sở Thông tin và Truyền thông tỉnh Hải Dương", "department"),
    ("12", "Sở Tài chính tỉnh Hải Dương", "department"),
    ("13", "Sở Khoa học và Công nghệ tỉnh Hải Dương", "department"),
    ("14", "Sở Lao động - Thương binh và Xã hội tỉnh Hải Dương", "department"),
]
for seg, name, kind in hd_depts:
    agency(f"000.00.{seg}.{HD}", name, kind, f"000.00.00.{HD}", "30", valid_to=CUT)

# Agencies of Hải Phòng after 1 July 2025 (QĐ 20/2020 format, level 1 = H24 [U]).
HP = "H24"
agency(f"{HP}", "Ủy ban nhân dân thành phố Hải Phòng", "provincial_committee", None, "31", valid_from=CUT)
hp_depts = [
    ("01", "Văn phòng Ủy ban nhân dân thành phố Hải Phòng", "department"),
    ("02", "Trung tâm Phục vụ hành chính công thành phố Hải Phòng", "service_centre"),
    ("10", "Sở Nội vụ thành phố Hải Phòng", "department"),
    ("11", "Sở Tư pháp thành phố Hải Phòng", "department"),
    ("12", "Sở Tài chính thành phố Hải Phòng", "department"),
    ("13", "Sở Nông nghiệp và Môi trường thành phố Hải Phòng", "department"),
    ("14", "Sở Xây dựng thành phố Hải Phòng", "department"),
    ("15", "Sở Khoa học và Công nghệ thành phố Hải Phòng", "department"),
    ("16", "Sở Công Thương thành phố Hải Phòng", "department"),
    ("17", "Sở Giáo dục và Đào tạo thành phố Hải Phòng", "department"),
    ("18", "Sở Y tế thành phố Hải Phòng", "department"),
    ("19", "Sở Văn hóa, Thể thao và Du lịch thành phố Hải Phòng", "department"),
    ("20", "Ban Quản lý Khu kinh tế Hải Phòng", "department"),
    ("21", "Công an thành phố Hải Phòng", "office"),
    ("22", "Bảo hiểm xã hội thành phố Hải Phòng", "office"),
    ("23", "Thanh tra thành phố Hải Phòng", "department"),
]
for seg, name, kind in hp_depts:
    agency(f"{HP}.{seg}", name, kind, HP, "31", valid_from=CUT)

new_units = {}  # name -> code
for di, (dcode, dname, communes) in enumerate(districts, start=1):
    unit(dcode, dname, "district", "30", valid_to=CUT)
    dseg = f"{20 + di:02d}"
    committee = f"000.00.{dseg}.{HD}"
    agency(committee, f"Ủy ban nhân dân {dname[0].lower() + dname[1:]}", "local_committee",
           f"000.00.00.{HD}", dcode, valid_to=CUT)
    agency(f"000.01.{dseg}.{HD}", f"Bộ phận Một cửa {dname[0].lower() + dname[1:]}", "one_stop_desk",
           committee, dcode, valid_to=CUT)
    agency(f"000.02.{dseg}.{HD}", f"Phòng Tư pháp {dname[0].lower() + dname[1:]}", "office",
           committee, dcode, valid_to=CUT)
    for ci, (cname, level, successor) in enumerate(communes, start=1):
        ccode = f"HD-{dcode}-{ci:02d}"
        unit(ccode, cname, level, dcode, valid_to=CUT)
        agency(f"0{ci:02d}.00.{dseg}.{HD}", f"Ủy ban nhân dân {cname[0].lower() + cname[1:]}", "local_committee",
               committee, ccode, valid_to=CUT)
        if successor not in new_units:
            ncode = f"HP-{len(new_units) + 1:03d}"
            new_units[successor] = ncode
            nlevel = "ward" if successor.startswith("Phường") else "commune"
            unit(ncode, successor, nlevel, "31", valid_from=CUT)
            seg = f"{100 + len(new_units)}"
            agency(f"{HP}.{seg}", f"Ủy ban nhân dân {successor[0].lower() + successor[1:]}", "local_committee",
                   HP, ncode, valid_from=CUT)
            agency(f"{HP}.{seg}.01", f"Trung tâm Phục vụ hành chính công {successor[0].lower() + successor[1:]}",
                   "service_centre", f"{HP}.{seg}", ncode, valid_from=CUT)
        # Demo shares: a commune merged with neighbours is taken whole unless it is the second
        # old unit of the same new one, which only gives part of its territory.
        share = None if ci == 1 else "một phần địa giới (dữ liệu minh họa)"
        links.append({"from": ccode, "to": new_units[successor], "share": share})
        # The abolished district's territory went to the new communes.
        links.append({"from": dcode, "to": new_units[successor], "share": "một phần địa giới"})

# A district may list the same new unit twice: keep one link per pair.
seen, dedup = set(), []
for l in links:
    k = (l["from"], l["to"])
    if k not in seen:
        seen.add(k)
        dedup.append(l)

out = {
    "notes": [
        "Bản đồ hành chính minh họa: Hải Dương năm 2024 và Hải Phòng từ 01/7/2025.",
        "Mã huyện 288–300, mã tỉnh 30/31 theo danh mục TCTK (nhớ lại, cần đối chiếu).",
        "Mã xã dạng HD-…/HP-… là mã minh họa; cần nhập danh mục chính thức năm 2025.",
        "Mã định danh H23 (Hải Dương), H24 (Hải Phòng) là suy luận [U], cần xác nhận theo QĐ 20/2020.",
    ],
    "units": units,
    "successors": dedup,
    "agencies": agencies,
}
path = pathlib.Path(__file__).resolve().parent.parent / "demo" / "map.json"
path.write_text(json.dumps(out, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
print(f"{path}: {len(units)} units, {len(dedup)} links, {len(agencies)} agencies")
