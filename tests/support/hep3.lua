-- A HEPv3 dissector for tshark (Debian's tshark 4.0 has none built in): the chunks as fields (hep3.*),
-- the payload handed to tshark's own SIP dissector. Used by the trace tests to read what IMS Lab sent
-- to a HEP collector. Load with: tshark -X lua_script:tests/support/hep3.lua -d udp.port==<port>,hep3
local hep3 = Proto("hep3", "Homer Encapsulation Protocol v3")
local f = {
  family = ProtoField.uint8("hep3.family", "IP family"),
  proto = ProtoField.uint8("hep3.ip_proto", "IP protocol"),
  src4 = ProtoField.ipv4("hep3.src_ip", "Source IPv4"),
  dst4 = ProtoField.ipv4("hep3.dst_ip", "Destination IPv4"),
  src6 = ProtoField.ipv6("hep3.src_ip6", "Source IPv6"),
  dst6 = ProtoField.ipv6("hep3.dst_ip6", "Destination IPv6"),
  sport = ProtoField.uint16("hep3.src_port", "Source port"),
  dport = ProtoField.uint16("hep3.dst_port", "Destination port"),
  sec = ProtoField.uint32("hep3.time_sec", "Seconds"),
  usec = ProtoField.uint32("hep3.time_usec", "Microseconds"),
  ptype = ProtoField.uint8("hep3.proto_type", "Protocol type"),
  capture = ProtoField.uint32("hep3.capture_id", "Capture agent ID"),
  correlation = ProtoField.string("hep3.correlation_id", "Correlation ID"),
}
hep3.fields = { f.family, f.proto, f.src4, f.dst4, f.src6, f.dst6, f.sport, f.dport, f.sec, f.usec, f.ptype, f.capture, f.correlation }
local by_type = { [1] = f.family, [2] = f.proto, [3] = f.src4, [4] = f.dst4, [5] = f.src6, [6] = f.dst6,
  [7] = f.sport, [8] = f.dport, [9] = f.sec, [10] = f.usec, [11] = f.ptype, [12] = f.capture, [17] = f.correlation }

function hep3.dissector(buf, pinfo, tree)
  if buf:len() < 6 or buf(0, 4):string() ~= "HEP3" then return 0 end
  local total = buf(4, 2):uint()
  local t = tree:add(hep3, buf(0, total))
  pinfo.cols.protocol = "HEP3"
  local off = 6
  while off + 6 <= total do
    local ctype = buf(off + 2, 2):uint()
    local clen = buf(off + 4, 2):uint()
    if clen < 6 then break end
    local value = buf(off + 6, clen - 6)
    if ctype == 15 then
      Dissector.get("sip"):call(value:tvb(), pinfo, tree)
    elseif by_type[ctype] ~= nil then
      t:add(by_type[ctype], value)
    end
    off = off + clen
  end
  return total
end

DissectorTable.get("udp.port"):add_for_decode_as(hep3)
