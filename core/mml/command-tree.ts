// The original console's command tree (original-server.md §1.2, MMLCommandTree): groups of entries
// that fill the input, with the original's group names, icons and labels. Commands are IMS Lab's spelling
// of the same operations. Every entry of the original's is here but two whose command IMS Lab has not:
// 重启服务 (RST SERVICE, a stub there; IMS Lab is restarted where it was started) and 清理日志 (CLR LOG;
// logs are day files deleted in the data folder): both answer RETCODE 2 saying so (registry.ts ABSENT),
// and an entry is a command the appliance has, which a click fills in. The console's MML Terminal shows it as its sidebar, and GET /api/command_tree
// (kept for the original's scripts, http/original-compat.ts) serves it, so both carry the original's
// labels (查询所有用户 → DSP USER ALL).
import type { MmlLang } from './lang';

export interface TreeGroup {
  name: Record<MmlLang, string>;
  /** The original's icon for the group (one of IMS Lab's own for the trace, which it did not have). */
  icon: string;
  /** Other words the tree's search finds the group by: the console's own name for it (话单 for CDR). */
  also?: Record<MmlLang, string>;
  entries: { label: Record<MmlLang, string>; command: string }[];
}

const e = (en: string, zh: string, command: string) => ({ label: { en, zh }, command });

export const COMMAND_TREE: TreeGroup[] = [
  {
    icon: '⚙️',
    name: { en: 'System', zh: '系统管理' },
    entries: [
      e('System information', '查询系统状态', 'DSP SYSINFO'),
      // The original's DSP SYSCFG showed its SIP server's settings.
      e('System settings', '查询系统配置', 'DSP CFG:CATEGORY=SIP'),
      e('Service status', '查询服务状态', 'DSP SRVSTAT'),
      e('Command history', '命令历史', 'DSP HISTORY'),
      e('Set log level', '修改日志级别', 'SET LOG:LEVEL='),
    ],
  },
  {
    icon: '👤',
    name: { en: 'Users', zh: '用户管理' },
    entries: [
      e('All users', '查询所有用户', 'DSP USER ALL'),
      e('One user', '查询指定用户', 'DSP USER:USERNAME='),
      e('Add user', '添加用户', 'ADD USER:USERNAME=,PASSWORD='),
      e('Modify user', '修改用户', 'MOD USER:USERNAME='),
      e('Remove user', '删除用户', 'RMV USER:USERNAME=,CONFIRM=YES'),
      e('Import users', '批量导入', 'IMP USER:FILE='),
      e('Export users', '导出用户', 'EXP USER'),
    ],
  },
  {
    icon: '📝',
    name: { en: 'Registrations', zh: '注册管理' },
    entries: [
      e('All registrations', '查询注册列表', 'DSP REG ALL'),
      e('One user', '查询指定注册', 'DSP REG:USERNAME='),
      e('Statistics', '查询注册统计', 'DSP REG STAT'),
      e('Remove', '强制注销', 'RMV REG:USERNAME=,CONFIRM=YES'),
      e('Remove all', '清除所有注册', 'CLR REG:CONFIRM=YES'),
      e('Locked-out addresses', '查询鉴权锁定', 'DSP LOCKOUT'),
      e('Lift a lockout', '解除鉴权锁定', 'RMV LOCKOUT:SOURCE='),
    ],
  },
  {
    icon: '📞',
    name: { en: 'Calls', zh: '呼叫管理' },
    entries: [
      e('Live calls', '查询活跃呼叫', 'DSP CALL'),
      e('Statistics', '查询呼叫统计', 'DSP CALL STAT'),
      e('One call', '查询指定呼叫', 'DSP CALL:CALLID='),
      e('End a call', '强制挂断', 'RMV CALL:CALLID=,CONFIRM=YES'),
      e('End all calls', '清除所有呼叫', 'CLR CALL:CONFIRM=YES'),
    ],
  },
  {
    icon: '📊',
    name: { en: 'CDR', zh: 'CDR 管理' },
    also: { en: 'call detail records', zh: '话单' },
    entries: [
      e("Today's CDR", '查询今日 CDR', 'DSP CDR'),
      e('CDR of a day', '查询指定日期 CDR', 'DSP CDR:DATE='),
      e('Statistics', '查询 CDR 统计', 'DSP CDR STAT'),
      e('Export', '导出 CDR', 'EXP CDR'),
      e('Clear old CDR', '清理旧 CDR', 'CLR CDR:BEFORE=,CONFIRM=YES'),
    ],
  },
  {
    icon: '🔧',
    name: { en: 'Configuration', zh: '配置管理' },
    entries: [
      e('All settings', '查询所有配置', 'DSP CFG'),
      e('One setting', '查询指定配置', 'DSP CFG:KEY='),
      e('Change a setting', '修改配置', 'SET CFG:KEY=,VALUE='),
      e('Set log level', '修改日志级别', 'SET CFG:KEY=LOG.LEVEL,VALUE='),
      e('Save settings', '保存配置', 'SAVE CFG'),
      e('Export settings', '导出配置', 'EXP CFG'),
    ],
  },
  {
    icon: '📈',
    name: { en: 'Performance', zh: '性能监控' },
    entries: [
      e('All', '全部', 'DSP PERF'),
      e('CPU', 'CPU', 'DSP PERF:TYPE=CPU'),
      e('Memory', '内存', 'DSP PERF:TYPE=MEM'),
      e('Network', '网络', 'DSP PERF:TYPE=NET'),
      e('SIP messages', 'SIP 消息', 'DSP PERF:TYPE=MSG'),
      e('Event-loop delay', '事件循环延迟', 'DSP PERF:TYPE=LOOP'),
    ],
  },
  {
    icon: '📋',
    name: { en: 'Logs', zh: '日志管理' },
    entries: [
      e('Log settings', '查询日志配置', 'DSP LOG CFG'),
      e('Recent log', '查询最近日志', 'DSP LOG'),
      e('Search the log', '搜索日志', 'DSP LOG:KEYWORD='),
      e('Set log level', '修改日志级别', 'SET LOG:LEVEL='),
    ],
  },
  {
    icon: '📡',
    name: { en: 'Trace', zh: '信令跟踪' },
    also: { en: 'SIP messages ladder', zh: '跟踪 信令流程图' },
    entries: [
      e('Traced dialogs', '查询跟踪会话', 'DSP TRACE'),
      e("A dialog's ladder", '查询会话信令流程图', 'DSP TRACE:CALLID='),
      e('Export pcap', '导出 pcap', 'EXP TRACE:CALLID='),
      e('Trace on', '开启跟踪', 'SET TRACE:STATE=ON'),
      e('Trace off', '关闭跟踪', 'SET TRACE:STATE=OFF'),
      e('Clear the trace', '清除跟踪', 'CLR TRACE:CONFIRM=YES'),
    ],
  },
  {
    icon: '📢',
    name: { en: 'Auto dialer', zh: '外呼管理' },
    entries: [
      e('Dialer status', '查询外呼服务状态', 'DSP DIALSVC'),
      e('Start dialer', '启动外呼服务', 'STR DIALSVC'),
      e('Stop dialer', '停止外呼服务', 'STP DIALSVC'),
      e('Single call', '发起单次外呼', 'STR CALL SINGLE:CALLEE='),
      e('Batch call', '批量外呼', 'STR CALL BATCH:NUMBERS='),
      e('Stop calls', '停止外呼', 'STP CALL'),
      // The original's entry gave DSP CALL STAT, which showed no dialer figures; a campaign's are here.
      e('Campaign statistics', '查询外呼统计', 'DSP DIALSVC:CAMPAIGN='),
      e('Dialer settings', '查询外呼配置', 'DSP DIALSVC CFG'),
    ],
  },
  {
    icon: '❓',
    name: { en: 'Help', zh: '帮助信息' },
    entries: [
      e('All commands', '显示所有命令', 'HELP'),
      e('Help on a command', '显示命令帮助', 'HELP DSP USER'),
      e('Help on a parameter', '显示参数说明', 'HELP:PARAM='),
      e('Terminal keys', '显示快捷键', 'HELP HOTKEY'),
    ],
  },
];
