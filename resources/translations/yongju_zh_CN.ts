<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
<context>
    <name>BackupCounts</name>
    <message numerus="yes">
        <source>%n document(s)</source>
        <translation>
            <numerusform>%n 份文件</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n case(s)</source>
        <translation>
            <numerusform>%n 个申请</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>CaseBar</name>
    <message>
        <source>New Case…</source>
        <translation>新建申请…</translation>
    </message>
    <message>
        <source>Rename…</source>
        <translation>重命名…</translation>
    </message>
    <message>
        <source>Delete…</source>
        <translation>删除…</translation>
    </message>
    <message>
        <source>Planned submission date</source>
        <translation>计划递交日期</translation>
    </message>
    <message>
        <source>Facts…</source>
        <translation>情况…</translation>
    </message>
    <message>
        <source>City, agent, route, dates: the facts that decide what applies</source>
        <translation>城市、代理人、申请途径、日期：决定哪些材料适用的情况</translation>
    </message>
    <message>
        <source>Case:</source>
        <translation>申请：</translation>
    </message>
    <message>
        <source>Application:</source>
        <translation>申请类别：</translation>
    </message>
    <message>
        <source>Submission:</source>
        <translation>递交日期：</translation>
    </message>
    <message>
        <source>Rename Case</source>
        <translation>重命名申请</translation>
    </message>
    <message>
        <source>New name:</source>
        <translation>新名称：</translation>
    </message>
    <message>
        <source>Delete Case</source>
        <translation>删除申请</translation>
    </message>
    <message>
        <source>Delete the case “%1”?</source>
        <translation>删除申请“%1”吗？</translation>
    </message>
    <message>
        <source>Its checklist and filings are removed. The documents stay in the store.</source>
        <translation>将删除它的清单和归档记录。文件本身仍保留在资料库中。</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>删除</translation>
    </message>
</context>
<context>
    <name>CaseFactsDialog</name>
    <message>
        <source>Facts of %1</source>
        <translation>%1 的情况</translation>
    </message>
    <message>
        <source>The facts decide which conditional requirements apply. A fact not answered leaves its requirements undecided.</source>
        <translation>这些情况决定哪些有条件的材料适用。未回答的情况，其相关材料将保持待确认。</translation>
    </message>
</context>
<context>
    <name>Checklist</name>
    <message>
        <source>{count} more document(s) needed</source>
        <translation>还需 {count} 份文件</translation>
    </message>
    <message>
        <source>It applies when: {detail}</source>
        <translation>适用条件：{detail}</translation>
    </message>
    <message>
        <source>&apos;{document}&apos; needs its issue date</source>
        <translation>“{document}”需要填写签发日期</translation>
    </message>
    <message>
        <source>&apos;{document}&apos; needs its expiry date</source>
        <translation>“{document}”需要填写有效期至</translation>
    </message>
    <message>
        <source>&apos;{document}&apos; needs the date of its legalisation</source>
        <translation>“{document}”需填写认证日期</translation>
    </message>
    <message>
        <source>&apos;{document}&apos; needs its origin: issued in China, abroad, or by a foreign mission in China</source>
        <translation>“{document}”需注明出具地：中国境内、国外，或外国驻华使领馆</translation>
    </message>
    <message>
        <source>&apos;{document}&apos; needs a Chinese translation</source>
        <translation>“{document}”需要中文译文</translation>
    </message>
    <message>
        <source>&apos;{document}&apos; needs its apostille or legalisation</source>
        <translation>“{document}”需要海牙认证或领事认证</translation>
    </message>
    <message>
        <source>&apos;{document}&apos; needs its notarisation</source>
        <translation>“{document}”需要公证</translation>
    </message>
    <message>
        <source>&apos;{document}&apos; was valid until {until}</source>
        <translation>“{document}”的有效期已于 {until} 截止</translation>
    </message>
    <message>
        <source>&apos;{document}&apos; is valid only until {until}, before {reference}</source>
        <translation>“{document}”仅在 {until} 前有效，早于 {reference}</translation>
    </message>
    <message>
        <source>&apos;{document}&apos; must stay frozen until at least {until}</source>
        <translation>“{document}”须冻结至少至 {until}</translation>
    </message>
    <message>
        <source>&apos;{document}&apos; is dated {until}, after the submission date {reference}</source>
        <translation>“{document}”的日期为 {until}，晚于递交日期 {reference}</translation>
    </message>
    <message>
        <source>&apos;{document}&apos; is dated {until}, in the future</source>
        <translation>“{document}”的日期为 {until}，是将来的日期</translation>
    </message>
    <message>
        <source>&apos;{document}&apos; expires ({until}) before it was issued ({reference})</source>
        <translation>“{document}”的有效期截止日({until})早于签发日({reference})</translation>
    </message>
    <message>
        <source>&apos;{document}&apos; has an impossible date: {until}</source>
        <translation>“{document}”的日期不可能：{until}</translation>
    </message>
    <message>
        <source>&apos;{document}&apos; was legalised on {until}, after {reference}</source>
        <translation>“{document}”的认证日期为 {until}，晚于 {reference}</translation>
    </message>
    <message>
        <source>&apos;{document}&apos; expires on the submission day ({until}): it is still valid, but renew it if the date may slip</source>
        <translation>“{document}”在递交当天({until})到期：仍然有效，但如递交日期可能推迟，请及时更新</translation>
    </message>
    <message>
        <source>Reason: %1</source>
        <translation>理由：%1</translation>
    </message>
    <message>
        <source>%1: yes</source>
        <translation>%1：是</translation>
    </message>
    <message>
        <source>%1: enter the date in the case&apos;s facts</source>
        <translation>%1：请在申请情况中填写日期</translation>
    </message>
    <message>
        <source>%1: not until %2</source>
        <translation>%1：要到 %2 才满足</translation>
    </message>
    <message>
        <source>%1: the date is after the submission</source>
        <translation>%1：日期晚于递交日期</translation>
    </message>
</context>
<context>
    <name>ChecklistModel</name>
    <message>
        <source>Requirement</source>
        <translation>材料项</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Docs</source>
        <translation>文件数</translation>
    </message>
    <message>
        <source>Valid until</source>
        <translation>有效至</translation>
    </message>
    <message>
        <source>Only if: %1</source>
        <translation>仅当：%1</translation>
    </message>
</context>
<context>
    <name>ChecklistView</name>
    <message>
        <source>New Case…</source>
        <translation>新建申请…</translation>
    </message>
    <message>
        <source>Export Packet…</source>
        <translation>导出材料包…</translation>
    </message>
    <message>
        <source>Create a case for the applicant: Yongju then lists every document the application needs, and checks each one&apos;s dates.</source>
        <translation>为申请人新建一个申请：永居会列出该申请所需的全部材料，并检查每份材料的日期。</translation>
    </message>
    <message>
        <source>Checklist</source>
        <translation>清单</translation>
    </message>
    <message>
        <source>No case selected</source>
        <translation>未选择申请</translation>
    </message>
    <message>
        <source>Create a case to see what its application needs.</source>
        <translation>新建一个申请，即可查看所需的全部材料。</translation>
    </message>
    <message>
        <source>Ready to hand in</source>
        <translation>可以递交</translation>
    </message>
    <message numerus="yes">
        <source>%n requirement(s) still open</source>
        <translation>
            <numerusform>还有 %n 项材料未完成</numerusform>
        </translation>
    </message>
    <message>
        <source>Planned submission %1</source>
        <translation>计划递交日期 %1</translation>
    </message>
    <message>
        <source>No submission date set: dates are checked against today</source>
        <translation>未设置递交日期：按今天的日期检查有效期</translation>
    </message>
    <message>
        <source>that date has passed: dates are checked against today</source>
        <translation>该日期已过：按今天核对日期</translation>
    </message>
    <message>
        <source>valid until %1</source>
        <translation>有效至 %1</translation>
    </message>
</context>
<context>
    <name>DateField</name>
    <message>
        <source>No date</source>
        <translation>无日期</translation>
    </message>
    <message>
        <source>Type a date such as 2024-05-14, 14.05.2024 or 2024年5月14日, or pick one.</source>
        <translation>输入日期，如 2024-05-14、14.05.2024 或 2024年5月14日，或从日历中选择。</translation>
    </message>
    <message>
        <source>Pick a date from a calendar</source>
        <translation>从日历中选择日期</translation>
    </message>
    <message>
        <source>Remove the date</source>
        <translation>清除日期</translation>
    </message>
    <message>
        <source>%1 is before 1900: check the year.</source>
        <translation>%1 早于 1900 年：请检查年份。</translation>
    </message>
    <message>
        <source>%1 is too far in the future: check the year.</source>
        <translation>%1 太遥远：请检查年份。</translation>
    </message>
    <message>
        <source>%1 is in the future: an issue date cannot be.</source>
        <translation>%1 是将来的日期：签发日期不能晚于今天。</translation>
    </message>
    <message>
        <source>“%1” is not a date. Type it like 2024-05-14.</source>
        <translation>“%1”不是日期。请按 2024-05-14 的格式输入。</translation>
    </message>
</context>
<context>
    <name>Decisions</name>
    <message>
        <source>Does Not Apply</source>
        <translation>不适用</translation>
    </message>
    <message>
        <source>Why does “%1” not apply to this case? The reason is printed in the contents.</source>
        <translation>为什么“%1”不适用于本申请？理由将印在目录中。</translation>
    </message>
    <message>
        <source>A reason is needed: this requirement is required.</source>
        <translation>必须填写理由：这是必需的材料。</translation>
    </message>
    <message>
        <source>Optional: for example, the office said it is not needed.</source>
        <translation>可选：例如，办理机关说不需要。</translation>
    </message>
    <message>
        <source>Applies to This Case</source>
        <translation>适用于本申请</translation>
    </message>
    <message>
        <source>Does Not Apply to This Case…</source>
        <translation>不适用于本申请…</translation>
    </message>
    <message>
        <source>Let the Facts Decide Again</source>
        <translation>重新由申请情况决定</translation>
    </message>
    <message>
        <source>Decided by the case&apos;s facts: %1</source>
        <translation>由申请情况决定：%1</translation>
    </message>
    <message>
        <source>You said it applies.</source>
        <translation>您已确认适用。</translation>
    </message>
    <message>
        <source>You said it does not apply: %1</source>
        <translation>您已确认不适用：%1</translation>
    </message>
    <message>
        <source>A document is filed here, so it applies.</source>
        <translation>此处已归档文件，因此适用。</translation>
    </message>
</context>
<context>
    <name>DetailsPanel</name>
    <message>
        <source>Not in Chinese</source>
        <translation>非中文</translation>
    </message>
    <message>
        <source>In Chinese (中文)</source>
        <translation>中文</translation>
    </message>
    <message>
        <source>Not known yet</source>
        <translation>尚不清楚</translation>
    </message>
    <message>
        <source>In China</source>
        <translation>中国境内</translation>
    </message>
    <message>
        <source>Abroad</source>
        <translation>国外</translation>
    </message>
    <message>
        <source>By a foreign embassy or consulate in China</source>
        <translation>外国驻华使领馆</translation>
    </message>
    <message>
        <source>Includes its apostille or legalisation</source>
        <translation>已附海牙认证或领事认证</translation>
    </message>
    <message>
        <source>Original document</source>
        <translation>原件</translation>
    </message>
    <message>
        <source>Apostille or legalisation</source>
        <translation>海牙认证或领事认证</translation>
    </message>
    <message>
        <source>Chinese translation</source>
        <translation>中文译文</translation>
    </message>
    <message>
        <source>Document</source>
        <translation>文件</translation>
    </message>
    <message>
        <source>&amp;Title:</source>
        <translation>标题(&amp;T)：</translation>
    </message>
    <message>
        <source>&amp;Issued on:</source>
        <translation>签发日期(&amp;I)：</translation>
    </message>
    <message>
        <source>E&amp;xpires on:</source>
        <translation>有效期至(&amp;X)：</translation>
    </message>
    <message>
        <source>Issued i&amp;n:</source>
        <translation>出具地(&amp;N)：</translation>
    </message>
    <message>
        <source>&amp;Language:</source>
        <translation>语言(&amp;L)：</translation>
    </message>
    <message>
        <source>Legalised on:</source>
        <translation>认证日期：</translation>
    </message>
    <message>
        <source>&amp;Role in slot:</source>
        <translation>在材料项中的作用(&amp;R)：</translation>
    </message>
    <message>
        <source>&amp;Notes:</source>
        <translation>备注(&amp;N)：</translation>
    </message>
    <message>
        <source>Issued on</source>
        <translation>签发日期</translation>
    </message>
    <message>
        <source>Expires on</source>
        <translation>有效期至</translation>
    </message>
    <message>
        <source>Legalised on</source>
        <translation>认证日期</translation>
    </message>
    <message>
        <source>The expiry date is before the issue date.</source>
        <translation>有效期截止日期早于签发日期。</translation>
    </message>
    <message>
        <source>The issue date is in the future.</source>
        <translation>签发日期晚于今天。</translation>
    </message>
    <message>
        <source>This requirement needs the issue date.</source>
        <translation>该材料项需要填写签发日期。</translation>
    </message>
    <message>
        <source>This requirement needs the expiry date.</source>
        <translation>该材料项需要填写有效期截止日期。</translation>
    </message>
</context>
<context>
    <name>DocumentActions</name>
    <message>
        <source>Open Original</source>
        <translation>打开原文件</translation>
    </message>
    <message>
        <source>Show in Folder</source>
        <translation>在文件夹中显示</translation>
    </message>
    <message>
        <source>File into %1</source>
        <translation>归入 %1</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>作用</translation>
    </message>
    <message>
        <source>Original</source>
        <translation>原件</translation>
    </message>
    <message>
        <source>Legalisation / Apostille</source>
        <translation>领事认证 / 海牙认证</translation>
    </message>
    <message>
        <source>Translation</source>
        <translation>译文</translation>
    </message>
    <message>
        <source>Remove from Slot</source>
        <translation>从材料项中移除</translation>
    </message>
    <message>
        <source>Delete from Yongju…</source>
        <translation>从永居中删除…</translation>
    </message>
    <message>
        <source>Delete Documents</source>
        <translation>删除文件</translation>
    </message>
    <message numerus="yes">
        <source>Delete %n document(s) from Yongju?</source>
        <translation>
            <numerusform>从永居中删除 %n 份文件吗？</numerusform>
        </translation>
    </message>
    <message>
        <source>Their copies in Yongju&apos;s store are removed; this cannot be undone. Your original files are not touched.</source>
        <translation>将删除这些文件在永居资料库中的副本，此操作无法撤销。您的原始文件不受影响。</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>删除</translation>
    </message>
    <message>
        <source>File Into</source>
        <translation>归入</translation>
    </message>
</context>
<context>
    <name>DocumentGrid</name>
    <message>
        <source>Filter</source>
        <translation>筛选</translation>
    </message>
    <message numerus="yes">
        <source>%n document(s)</source>
        <translation>
            <numerusform>%n 份文件</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 of %2</source>
        <translation>%1 / %2</translation>
    </message>
</context>
<context>
    <name>DocumentModel</name>
    <message numerus="yes">
        <source>%n page(s)</source>
        <translation>
            <numerusform>%n 页</numerusform>
        </translation>
    </message>
    <message>
        <source>Issued %1</source>
        <translation>签发于 %1</translation>
    </message>
    <message>
        <source>Expires %1</source>
        <translation>有效期至 %1</translation>
    </message>
    <message>
        <source>Password-protected</source>
        <translation>有密码保护</translation>
    </message>
    <message>
        <source>Suggested: %1</source>
        <translation>建议归入：%1</translation>
    </message>
</context>
<context>
    <name>DocumentPreview</name>
    <message>
        <source>Rotate Left</source>
        <translation>向左旋转</translation>
    </message>
    <message>
        <source>Rotate Right</source>
        <translation>向右旋转</translation>
    </message>
    <message>
        <source>Leave Page Out</source>
        <translation>排除此页</translation>
    </message>
    <message>
        <source>Zoom Out</source>
        <translation>缩小</translation>
    </message>
    <message>
        <source>Fit Width</source>
        <translation>适合宽度</translation>
    </message>
    <message>
        <source>Zoom In</source>
        <translation>放大</translation>
    </message>
    <message>
        <source>Previous Page</source>
        <translation>上一页</translation>
    </message>
    <message>
        <source>Next Page</source>
        <translation>下一页</translation>
    </message>
    <message>
        <source>Page</source>
        <translation>页面</translation>
    </message>
    <message>
        <source>Select a document to see its pages.</source>
        <translation>选择一份文件以查看其页面。</translation>
    </message>
    <message>
        <source>Include Page</source>
        <translation>放入此页</translation>
    </message>
    <message>
        <source>Page %1 of %2</source>
        <translation>第 %1 页，共 %2 页</translation>
    </message>
    <message>
        <source>left out of the packet</source>
        <translation>不放入材料包</translation>
    </message>
    <message>
        <source>This page cannot be shown.</source>
        <translation>无法显示此页。</translation>
    </message>
</context>
<context>
    <name>Editor</name>
    <message>
        <source>File into %1</source>
        <translation>归入 %1</translation>
    </message>
    <message>
        <source>Remove from slot</source>
        <translation>从材料项中移除</translation>
    </message>
    <message>
        <source>Reorder</source>
        <translation>调整顺序</translation>
    </message>
    <message>
        <source>Change role</source>
        <translation>更改作用</translation>
    </message>
    <message>
        <source>Rotate page</source>
        <translation>旋转页面</translation>
    </message>
    <message>
        <source>Exclude page</source>
        <translation>排除页面</translation>
    </message>
    <message>
        <source>Include page</source>
        <translation>放入页面</translation>
    </message>
    <message>
        <source>Edit document</source>
        <translation>编辑文件</translation>
    </message>
    <message>
        <source>Edit case</source>
        <translation>编辑申请</translation>
    </message>
    <message>
        <source>Change submission date</source>
        <translation>更改递交日期</translation>
    </message>
    <message>
        <source>Mark not applicable</source>
        <translation>标记为不适用</translation>
    </message>
    <message>
        <source>Let the facts decide</source>
        <translation>由申请情况决定</translation>
    </message>
    <message>
        <source>Change facts</source>
        <translation>更改申请情况</translation>
    </message>
    <message>
        <source>Mark applicable</source>
        <translation>标记为适用</translation>
    </message>
</context>
<context>
    <name>ErrorReporter</name>
    <message>
        <source>Yongju</source>
        <translation>永居</translation>
    </message>
    <message>
        <source>Something went wrong inside Yongju: %1

Your documents are safe. The details were written to %2; please include that file if you report it.</source>
        <translation>永居内部出错：%1

您的文件是安全的。详细信息已写入 %2；报告问题时请附上该文件。</translation>
    </message>
    <message>
        <source>Yongju stopped unexpectedly on %1. Your documents are safe. What it was doing is recorded in %2; please include that file if you report the problem.</source>
        <translation>永居于 %1 意外停止。您的文件安然无恙。当时的情况已记录在 %2；如需报告问题，请附上该文件。</translation>
    </message>
</context>
<context>
    <name>ExportDialog</name>
    <message>
        <source>Export the Packet</source>
        <translation>导出材料包</translation>
    </message>
    <message>
        <source>Export anyway: I know this case is not complete</source>
        <translation>仍然导出：我知道此申请的材料尚不齐全</translation>
    </message>
    <message>
        <source>&amp;Export</source>
        <translation>导出(&amp;E)</translation>
    </message>
    <message>
        <source>&amp;Open the PDF</source>
        <translation>打开 PDF(&amp;O)</translation>
    </message>
    <message>
        <source>Show in &amp;Folder</source>
        <translation>在文件夹中显示(&amp;F)</translation>
    </message>
    <message>
        <source>Every requirement is complete.</source>
        <translation>所有材料均已齐全。</translation>
    </message>
    <message>
        <source>Not ready yet:</source>
        <translation>尚未齐全：</translation>
    </message>
    <message>
        <source>Ready to export.</source>
        <translation>可以导出。</translation>
    </message>
    <message>
        <source>Packet</source>
        <translation>材料包</translation>
    </message>
    <message>
        <source>Requirements complete: %1 of %2 · Documents filed: %3</source>
        <translation>已齐全的材料项：%1 / %2 · 已归档文件：%3</translation>
    </message>
    <message>
        <source>Planned submission: %1</source>
        <translation>计划递交日期：%1</translation>
    </message>
    <message>
        <source>Some documents are filed under requirements this profile does not have; they go at the end, under “Other documents”.</source>
        <translation>有些文件归入了此申请类别中不存在的材料项，它们将放在最后的“其他材料”中。</translation>
    </message>
    <message>
        <source>Writing the packet…</source>
        <translation>正在生成材料包…</translation>
    </message>
    <message>
        <source>Stopping…</source>
        <translation>正在停止…</translation>
    </message>
    <message>
        <source>Saved %1: %2 pages, %3 MB.</source>
        <translation>已保存 %1：共 %2 页，%3 MB。</translation>
    </message>
    <message>
        <source>Cancelled. Nothing was written.</source>
        <translation>已取消，未写入任何文件。</translation>
    </message>
    <message>
        <source>The packet was not written:</source>
        <translation>材料包未能生成：</translation>
    </message>
    <message>
        <source>The packet was not written because of an unexpected error:</source>
        <translation>发生意外错误，材料包未能生成：</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Export &amp;Again</source>
        <translation>再次导出(&amp;A)</translation>
    </message>
</context>
<context>
    <name>ExportHistoryButton</name>
    <message>
        <source>Last exported %1 → %2</source>
        <translation>上次导出 %1 → %2</translation>
    </message>
    <message numerus="yes">
        <source>%n packet(s) exported for this case</source>
        <translation>
            <numerusform>此申请已导出 %n 份材料包</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 → %2 (%3 pages)</source>
        <translation>%1 → %2（%3 页）</translation>
    </message>
</context>
<context>
    <name>ExportOptionsForm</name>
    <message>
        <source>Choose…</source>
        <translation>选择…</translation>
    </message>
    <message>
        <source>Cover page and table of contents (in English and Chinese)</source>
        <translation>封面和目录（中英文）</translation>
    </message>
    <message>
        <source>Stamp each page with the case, requirement and page number</source>
        <translation>在每页页脚标注申请、材料项和页码</translation>
    </message>
    <message>
        <source>Put the front and back of ID cards on one page</source>
        <translation>将证件正反面放在同一页</translation>
    </message>
    <message>
        <source>Protect the PDF with a password</source>
        <translation>为 PDF 设置密码</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>密码</translation>
    </message>
    <message>
        <source>Repeat the password</source>
        <translation>再次输入密码</translation>
    </message>
    <message>
        <source>Keep the file under</source>
        <translation>文件大小不超过</translation>
    </message>
    <message>
        <source>&amp;Save as:</source>
        <translation>保存为(&amp;S)：</translation>
    </message>
    <message>
        <source>Choose where to save the packet.</source>
        <translation>请选择材料包的保存位置。</translation>
    </message>
    <message>
        <source>Type a file name for the packet, such as “packet.pdf”.</source>
        <translation>请输入材料包的文件名，例如“材料.pdf”。</translation>
    </message>
    <message>
        <source>The folder %1 does not exist.</source>
        <translation>文件夹 %1 不存在。</translation>
    </message>
    <message>
        <source>Type the password twice, or untick the password option.</source>
        <translation>请输入两次密码，或取消勾选密码选项。</translation>
    </message>
    <message>
        <source>The two passwords are not the same.</source>
        <translation>两次输入的密码不一致。</translation>
    </message>
    <message>
        <source>A file with this name exists and will be replaced.</source>
        <translation>同名文件已存在，将被替换。</translation>
    </message>
    <message>
        <source>Save the Packet As</source>
        <translation>材料包另存为</translation>
    </message>
    <message>
        <source>PDF files (*.pdf)</source>
        <translation>PDF 文件 (*.pdf)</translation>
    </message>
</context>
<context>
    <name>ExportRecordDialog</name>
    <message>
        <source>Exported %1</source>
        <translation>导出于 %1</translation>
    </message>
    <message>
        <source>%1
%2 pages, %3 MB
SHA-256 %4</source>
        <translation>%1
%2 页，%3 MB
SHA-256 %4</translation>
    </message>
    <message>
        <source>Manifest:</source>
        <translation>清单：</translation>
    </message>
</context>
<context>
    <name>FactsForm</name>
    <message>
        <source>Not answered</source>
        <translation>未回答</translation>
    </message>
</context>
<context>
    <name>ImportFlow</name>
    <message numerus="yes">
        <source>Importing %n item(s)</source>
        <translation>
            <numerusform>正在导入 %n 项</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Inbox</source>
        <translation>收件箱</translation>
    </message>
    <message>
        <source>Drop scans and photos here, or use File ▸ Import Files…</source>
        <translation>将扫描件和照片拖到这里，或使用“文件”菜单中的“导入文件…”</translation>
    </message>
    <message>
        <source>Requirement</source>
        <translation>材料项</translation>
    </message>
    <message>
        <source>Permanent Residence Documents</source>
        <translation>永久居留申请材料</translation>
    </message>
    <message>
        <source>Some requirement lists could not be loaded.</source>
        <translation>部分材料清单无法加载。</translation>
    </message>
    <message>
        <source>These requirement lists could not be loaded; the others work:</source>
        <translation>以下材料清单无法加载，其余清单可以正常使用：</translation>
    </message>
    <message>
        <source>Select a requirement on the left to see its documents.</source>
        <translation>在左侧选择一个材料项以查看其中的文件。</translation>
    </message>
    <message>
        <source>Drag documents from the inbox, or files from your computer, here.</source>
        <translation>将收件箱中的文件或电脑上的文件拖到这里。</translation>
    </message>
    <message>
        <source>%1 packet.pdf</source>
        <translation>%1 申请材料.pdf</translation>
    </message>
    <message>
        <source>Select or create a case to export its packet.</source>
        <translation>请选择或新建一个申请以导出其材料包。</translation>
    </message>
    <message>
        <source>Exporting the packet</source>
        <translation>正在导出材料包</translation>
    </message>
    <message>
        <source>&amp;Undo</source>
        <translation>撤销(&amp;U)</translation>
    </message>
    <message>
        <source>&amp;Redo</source>
        <translation>重做(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;New Case…</source>
        <translation>新建申请(&amp;N)…</translation>
    </message>
    <message>
        <source>&amp;Import Files…</source>
        <translation>导入文件(&amp;I)…</translation>
    </message>
    <message>
        <source>Import &amp;Folder…</source>
        <translation>导入文件夹(&amp;F)…</translation>
    </message>
    <message>
        <source>&amp;Paste Files</source>
        <translation>粘贴文件(&amp;P)</translation>
    </message>
    <message>
        <source>&amp;Export Packet…</source>
        <translation>导出材料包(&amp;E)…</translation>
    </message>
    <message>
        <source>&amp;Back Up…</source>
        <translation>备份(&amp;B)…</translation>
    </message>
    <message>
        <source>&amp;Restore…</source>
        <translation>恢复(&amp;R)…</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <source>&amp;Delete</source>
        <translation>删除(&amp;D)</translation>
    </message>
    <message>
        <source>&amp;Preferences…</source>
        <translation>首选项(&amp;P)…</translation>
    </message>
    <message>
        <source>&amp;About Yongju</source>
        <translation>关于永居(&amp;A)</translation>
    </message>
    <message>
        <source>About &amp;Qt</source>
        <translation>关于 &amp;Qt</translation>
    </message>
    <message>
        <source>&amp;Watched Folder…</source>
        <translation>监视文件夹(&amp;W)…</translation>
    </message>
    <message>
        <source>File into &amp;Suggested Requirement</source>
        <translation>归入建议的材料项(&amp;S)</translation>
    </message>
    <message>
        <source>&amp;Refresh</source>
        <translation>刷新(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Edit</source>
        <translation>编辑(&amp;E)</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <source>Created the case “%1”.</source>
        <translation>已创建申请“%1”。</translation>
    </message>
    <message>
        <source>Import Files into This Slot…</source>
        <translation>导入文件到此材料项…</translation>
    </message>
    <message numerus="yes">
        <source>%n new document(s) from the watched folder are in the inbox.</source>
        <translation>
            <numerusform>监视文件夹中有 %n 份新文件已放入收件箱。</numerusform>
        </translation>
    </message>
    <message>
        <source>Import Folder</source>
        <translation>导入文件夹</translation>
    </message>
    <message>
        <source>Import Files</source>
        <translation>导入文件</translation>
    </message>
    <message>
        <source>Scans and photos (*.pdf *.jpg *.jpeg *.png *.tif *.tiff *.heic *.heif *.webp)</source>
        <translation>扫描件和照片 (*.pdf *.jpg *.jpeg *.png *.tif *.tiff *.heic *.heif *.webp)</translation>
    </message>
    <message>
        <source>Yongju backups (*.tar)</source>
        <translation>永居备份 (*.tar)</translation>
    </message>
    <message>
        <source>All files (*)</source>
        <translation>所有文件 (*)</translation>
    </message>
    <message>
        <source>Restored %1 and %2 from the backup of %3.</source>
        <translation>已从 %3 的备份中恢复 %1 和 %2。</translation>
    </message>
    <message>
        <source>Back Up Yongju</source>
        <translation>备份永居</translation>
    </message>
    <message>
        <source>Backed up %1 and %2 to %3.</source>
        <translation>已将 %1 和 %2 备份到 %3。</translation>
    </message>
    <message>
        <source>Some stored files were missing or damaged, so they are not in it:</source>
        <translation>部分已存文件缺失或已损坏，因此未包含在备份中：</translation>
    </message>
    <message>
        <source>Backing up…</source>
        <translation>正在备份…</translation>
    </message>
    <message>
        <source>Backing up</source>
        <translation>正在备份</translation>
    </message>
    <message>
        <source>This store already holds documents, so a backup is never restored over it. To restore, start Yongju on a new folder (yongju --store NEW_FOLDER) and choose File ▸ Restore… there.</source>
        <translation>此存储库中已有文件，因此不会用备份覆盖它。如需恢复，请在一个新文件夹上启动永居（yongju --store 新文件夹），然后在那里选择“文件”菜单中的“恢复…”。</translation>
    </message>
    <message>
        <source>Restore a Yongju Backup</source>
        <translation>恢复永居备份</translation>
    </message>
    <message>
        <source>Checking the backup…</source>
        <translation>正在检查备份…</translation>
    </message>
    <message>
        <source>Restoring</source>
        <translation>正在恢复</translation>
    </message>
    <message>
        <source>The clipboard holds no files to import.</source>
        <translation>剪贴板中没有可导入的文件。</translation>
    </message>
    <message>
        <source>Select documents to remove them.</source>
        <translation>请先选择要移除的文件。</translation>
    </message>
    <message>
        <source>About Yongju</source>
        <translation>关于永居</translation>
    </message>
    <message>
        <source>Assemble, check and print the documents of a China permanent-residence application. Your files stay on this computer.</source>
        <translation>整理、检查并打印中国永久居留申请材料。您的文件只保存在这台电脑上。</translation>
    </message>
    <message>
        <source>Imported %1, already in the store %2, refused %3.</source>
        <translation>已导入 %1，资料库中已有 %2，拒收 %3。</translation>
    </message>
</context>
<context>
    <name>NewCaseDialog</name>
    <message>
        <source>New Case</source>
        <translation>新建申请</translation>
    </message>
    <message>
        <source>The applicant&apos;s name, e.g. Jan Peeters</source>
        <translation>申请人姓名，例如 Jan Peeters</translation>
    </message>
    <message>
        <source>Choose the kind of application</source>
        <translation>请选择申请类别</translation>
    </message>
    <message>
        <source>Planned submission date</source>
        <translation>计划递交日期</translation>
    </message>
    <message>
        <source>Create</source>
        <translation>创建</translation>
    </message>
    <message>
        <source>Name:</source>
        <translation>姓名：</translation>
    </message>
    <message>
        <source>Application:</source>
        <translation>申请类别：</translation>
    </message>
    <message>
        <source>Planned submission:</source>
        <translation>计划递交日期：</translation>
    </message>
</context>
<context>
    <name>PageListModel</name>
    <message>
        <source>%1 (left out)</source>
        <translation>%1（已排除）</translation>
    </message>
    <message>
        <source>Page %1 of %2</source>
        <translation>第 %1 页，共 %2 页</translation>
    </message>
    <message>
        <source>Left out of the packet</source>
        <translation>不放入材料包</translation>
    </message>
</context>
<context>
    <name>PageLoader</name>
    <message>
        <source>The page could not be read back from the cache.</source>
        <translation>无法从缓存中读取该页。</translation>
    </message>
    <message>
        <source>Showing pages</source>
        <translation>正在显示页面</translation>
    </message>
</context>
<context>
    <name>PageStrip</name>
    <message>
        <source>Pages</source>
        <translation>页面</translation>
    </message>
</context>
<context>
    <name>PreferencesDialog</name>
    <message>
        <source>Preferences</source>
        <translation>首选项</translation>
    </message>
    <message>
        <source>Same as the system</source>
        <translation>跟随系统</translation>
    </message>
    <message>
        <source>Light</source>
        <translation>浅色</translation>
    </message>
    <message>
        <source>Dark</source>
        <translation>深色</translation>
    </message>
    <message>
        <source>A new language is used from the next start.</source>
        <translation>新的语言将在下次启动时生效。</translation>
    </message>
    <message>
        <source>Language:</source>
        <translation>语言：</translation>
    </message>
    <message>
        <source>Colours:</source>
        <translation>配色：</translation>
    </message>
</context>
<context>
    <name>ProposalsPanel</name>
    <message>
        <source>Read from the document</source>
        <translation>从文件中读到</translation>
    </message>
    <message>
        <source>Accept All</source>
        <translation>全部采纳</translation>
    </message>
    <message>
        <source>Not proposed: %1</source>
        <translation>未建议：%1</translation>
    </message>
    <message>
        <source>Reading this document…</source>
        <translation>正在读取此文件…</translation>
    </message>
    <message>
        <source>It could not be read: %1</source>
        <translation>无法读取：%1</translation>
    </message>
    <message>
        <source>page %1: “%2”</source>
        <translation>第 %1 页：“%2”</translation>
    </message>
    <message>
        <source>Accept</source>
        <translation>采纳</translation>
    </message>
    <message>
        <source>Accept %1</source>
        <translation>采纳%1</translation>
    </message>
    <message>
        <source>Requirement</source>
        <translation>材料项</translation>
    </message>
    <message>
        <source>Title</source>
        <translation>标题</translation>
    </message>
    <message>
        <source>Issued on</source>
        <translation>签发日期</translation>
    </message>
    <message>
        <source>Expires on</source>
        <translation>有效期至</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>语言</translation>
    </message>
    <message>
        <source>Issued</source>
        <translation>签发地</translation>
    </message>
    <message>
        <source>In Chinese (中文)</source>
        <translation>中文</translation>
    </message>
    <message>
        <source>in China</source>
        <translation>在中国境内签发</translation>
    </message>
    <message>
        <source>abroad</source>
        <translation>在国外签发</translation>
    </message>
    <message>
        <source>by a foreign mission in China</source>
        <translation>由外国驻华使领馆签发</translation>
    </message>
</context>
<context>
    <name>ReadingController</name>
    <message>
        <source>Reading documents</source>
        <translation>正在读取文件</translation>
    </message>
</context>
<context>
    <name>ReadingStatus</name>
    <message>
        <source>Stop Reading</source>
        <translation>停止读取</translation>
    </message>
    <message>
        <source>Stop reading; the documents not yet read are read the next time.</source>
        <translation>停止读取；尚未读取的文件将在下次读取。</translation>
    </message>
    <message>
        <source>Reading “%1”</source>
        <translation>正在读取“%1”</translation>
    </message>
    <message>
        <source>Stopping…</source>
        <translation>正在停止…</translation>
    </message>
</context>
<context>
    <name>RefusedDialog</name>
    <message>
        <source>Some Files Were Not Imported</source>
        <translation>部分文件未能导入</translation>
    </message>
    <message numerus="yes">
        <source>%n file(s) could not be imported.</source>
        <translation>
            <numerusform>有 %n 个文件无法导入。</numerusform>
        </translation>
    </message>
    <message>
        <source>Imported: %1. Already in the store: %2.</source>
        <translation>已导入：%1。资料库中已有：%2。</translation>
    </message>
    <message>
        <source>File</source>
        <translation>文件</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
</context>
<context>
    <name>SlotInfo</name>
    <message>
        <source>Select a requirement to see what it asks for.</source>
        <translation>选择一项材料，查看其具体要求。</translation>
    </message>
    <message>
        <source>State:</source>
        <translation>状态：</translation>
    </message>
    <message>
        <source>Sources:</source>
        <translation>依据：</translation>
    </message>
    <message>
        <source>Bring the original and one copy.</source>
        <translation>请携带原件及一份复印件。</translation>
    </message>
    <message>
        <source>Bring the original and %1 copies.</source>
        <translation>请携带原件及 %1 份复印件。</translation>
    </message>
    <message>
        <source>A Chinese translation is needed unless the document is in Chinese.</source>
        <translation>非中文文件需附中文译文。</translation>
    </message>
    <message>
        <source>Issued abroad: needs an apostille (or consular legalisation).</source>
        <translation>国外出具的：须经海牙认证(或领事认证)。</translation>
    </message>
    <message>
        <source>Issued in China: notarised; issued abroad: an apostille (or legalisation).</source>
        <translation>中国境内出具的：须公证；国外出具的：须海牙认证(或领事认证)。</translation>
    </message>
    <message>
        <source>Optional.</source>
        <translation>可选。</translation>
    </message>
    <message>
        <source>Needed only when: %1</source>
        <translation>仅在以下情况需要：%1</translation>
    </message>
    <message>
        <source>Required.</source>
        <translation>必需。</translation>
    </message>
    <message>
        <source>Issued within %1 calendar months before submission.</source>
        <translation>递交前 %1 个自然月内签发。</translation>
    </message>
    <message>
        <source>Legalised within %1 calendar months before submission.</source>
        <translation>递交前 %1 个自然月内认证。</translation>
    </message>
    <message>
        <source>Issued within %1 days before submission.</source>
        <translation>须在递交前 %1 天内签发。</translation>
    </message>
    <message>
        <source>Valid (frozen) more than %1 months after submission.</source>
        <translation>有效(冻结)期须超过递交后 %1 个月。</translation>
    </message>
    <message>
        <source>Valid at least %1 days after submission.</source>
        <translation>递交后须至少仍有效 %1 天。</translation>
    </message>
    <message>
        <source>Not expired on the submission date.</source>
        <translation>递交当日不得过期。</translation>
    </message>
    <message>
        <source>These dates apply to a document issued abroad.</source>
        <translation>以上日期要求适用于国外出具的文件。</translation>
    </message>
</context>
<context>
    <name>SlotState</name>
    <message>
        <source>Complete</source>
        <translation>已齐全</translation>
    </message>
    <message>
        <source>Missing</source>
        <translation>缺少</translation>
    </message>
    <message>
        <source>Expired</source>
        <translation>已过期</translation>
    </message>
    <message>
        <source>Expires before submission</source>
        <translation>递交前将过期</translation>
    </message>
    <message>
        <source>Needs a date</source>
        <translation>需要日期</translation>
    </message>
    <message>
        <source>Needs a translation</source>
        <translation>需要译文</translation>
    </message>
    <message>
        <source>Needs legalisation</source>
        <translation>需要认证</translation>
    </message>
    <message>
        <source>Not applicable</source>
        <translation>不适用</translation>
    </message>
    <message>
        <source>Optional</source>
        <translation>可选</translation>
    </message>
    <message>
        <source>Decide: does this apply to you?</source>
        <translation>请确认是否适用</translation>
    </message>
    <message>
        <source>Date problem</source>
        <translation>日期有误</translation>
    </message>
    <message>
        <source>Needs its origin</source>
        <translation>需注明出具地</translation>
    </message>
    <message>
        <source>Frozen too short</source>
        <translation>冻结期不足</translation>
    </message>
</context>
<context>
    <name>TaskStatus</name>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Stopping…</source>
        <translation>正在停止…</translation>
    </message>
</context>
<context>
    <name>TileDelegate</name>
    <message>
        <source>Legalisation</source>
        <translation>认证</translation>
    </message>
    <message>
        <source>Translation</source>
        <translation>译文</translation>
    </message>
    <message numerus="yes">
        <source>%n p</source>
        <comment>pages, on a tile&apos;s badge</comment>
        <translation>
            <numerusform>%n 页</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>WatchController</name>
    <message>
        <source>Imported</source>
        <translation>已导入</translation>
    </message>
    <message>
        <source>Already in Yongju</source>
        <translation>永居中已有</translation>
    </message>
    <message>
        <source>Refused</source>
        <translation>已拒收</translation>
    </message>
    <message>
        <source>Skipped</source>
        <translation>已跳过</translation>
    </message>
    <message>
        <source>Waiting for</source>
        <translation>正在等待</translation>
    </message>
    <message>
        <source>Could not import</source>
        <translation>无法导入</translation>
    </message>
    <message>
        <source>The folder went away</source>
        <translation>文件夹已不存在</translation>
    </message>
    <message>
        <source>The folder is back</source>
        <translation>文件夹已恢复</translation>
    </message>
</context>
<context>
    <name>WatchPanel</name>
    <message>
        <source>Watched Folder</source>
        <translation>监视文件夹</translation>
    </message>
    <message>
        <source>Type or choose the folder your scanner saves into</source>
        <translation>输入或选择扫描仪保存文件的文件夹</translation>
    </message>
    <message>
        <source>Choose…</source>
        <translation>选择…</translation>
    </message>
    <message>
        <source>Check by listing the folder every few seconds (for network shares)</source>
        <translation>每隔几秒列出文件夹内容进行检查（适用于网络共享）</translation>
    </message>
    <message>
        <source>Move imported files to “imported/”, refused ones to “refused/”</source>
        <translation>将已导入的文件移至“imported/”，拒收的文件移至“refused/”</translation>
    </message>
    <message>
        <source>File</source>
        <translation>文件</translation>
    </message>
    <message>
        <source>Why it was not imported</source>
        <translation>未导入的原因</translation>
    </message>
    <message>
        <source>Folder:</source>
        <translation>文件夹：</translation>
    </message>
    <message>
        <source>State:</source>
        <translation>状态：</translation>
    </message>
    <message>
        <source>Last event:</source>
        <translation>最近事件：</translation>
    </message>
    <message>
        <source>Skipped and refused files:</source>
        <translation>跳过和拒收的文件：</translation>
    </message>
    <message>
        <source>Folder to Watch</source>
        <translation>要监视的文件夹</translation>
    </message>
    <message>
        <source>Type or choose a folder to watch.</source>
        <translation>请输入或选择要监视的文件夹。</translation>
    </message>
    <message>
        <source>There is no folder %1.</source>
        <translation>文件夹 %1 不存在。</translation>
    </message>
    <message>
        <source>Stop Watching</source>
        <translation>停止监视</translation>
    </message>
    <message>
        <source>Start Watching</source>
        <translation>开始监视</translation>
    </message>
    <message>
        <source>Not watching</source>
        <translation>未在监视</translation>
    </message>
    <message>
        <source>The folder is not there (unplugged or unmounted?): waiting for it to come back</source>
        <translation>文件夹不存在（已拔出或未挂载？）：正在等待它重新出现</translation>
    </message>
    <message>
        <source>polling</source>
        <translation>轮询</translation>
    </message>
    <message>
        <source>system events</source>
        <translation>系统事件</translation>
    </message>
    <message>
        <source>Watching (%1)</source>
        <translation>正在监视（%1）</translation>
    </message>
</context>
<context>
    <name>WatchStatus</name>
    <message>
        <source>Not watching a folder</source>
        <translation>未监视任何文件夹</translation>
    </message>
    <message>
        <source>File ▸ Watched Folder… to import scans automatically</source>
        <translation>使用“文件”菜单中的“监视文件夹…”自动导入扫描件</translation>
    </message>
    <message>
        <source>⚠ %1 is missing</source>
        <translation>⚠ %1 不存在</translation>
    </message>
    <message>
        <source>polling</source>
        <translation>轮询</translation>
    </message>
    <message>
        <source>live</source>
        <translation>实时</translation>
    </message>
    <message>
        <source>● Watching %1 (%2)</source>
        <translation>● 正在监视 %1（%2）</translation>
    </message>
</context>
</TS>
