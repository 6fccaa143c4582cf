-- Drives Neovim's own LSP client against `designgate lsp`, as a user would:
-- opens a design document, edits it without saving, waits for diagnostics,
-- picks "Insert missing section" from vim.lsp.buf.code_action(), waits for
-- the diagnostics to update, and saves. What it saw goes to a JSON report
-- for tests/editors.rs to assert.
--
-- Works with Neovim 0.7 (Debian bookworm's package: vim.lsp.start_client,
-- no vim.lsp.start) and later versions.
--
-- Inputs (environment): DESIGNGATE_EXE, DESIGNGATE_ROOT, DESIGNGATE_FILE,
-- DESIGNGATE_EDIT_LINE (0-based line to insert the edit before),
-- DESIGNGATE_REPORT (where the JSON goes).

local report = {}

local function env(name)
  local value = os.getenv(name)
  if not value or value == '' then
    error('missing ' .. name)
  end
  return value
end

local function diagnostics(buf)
  local out = {}
  for _, d in ipairs(vim.diagnostic.get(buf)) do
    local lsp = (d.user_data and d.user_data.lsp) or {}
    table.insert(out, {
      lnum = d.lnum,
      col = d.col,
      end_col = d.end_col,
      severity = d.severity,
      message = d.message,
      code = lsp.code or d.code,
      check = lsp.data and lsp.data.check or vim.NIL,
    })
  end
  table.sort(out, function(a, b)
    if a.lnum ~= b.lnum then
      return a.lnum < b.lnum
    end
    return a.col < b.col
  end)
  return out
end

local function wait_for(what, predicate)
  if not vim.wait(30000, predicate, 20) then
    error('timed out waiting for ' .. what)
  end
end

local function has(buf, code, check)
  for _, d in ipairs(diagnostics(buf)) do
    if d.code == code and d.check == check then
      return true
    end
  end
  return false
end

local function title_of(item)
  -- 0.7 passes {client_id, action}; later versions {action = ..., ctx = ...}.
  local action = item.action or item[2]
  return action and action.title
end

local function main()
  local file = env('DESIGNGATE_FILE')
  vim.cmd('edit ' .. vim.fn.fnameescape(file))
  local buf = vim.api.nvim_get_current_buf()
  local client_id = vim.lsp.start_client({
    name = 'designgate',
    cmd = { env('DESIGNGATE_EXE'), 'lsp' },
    root_dir = env('DESIGNGATE_ROOT'),
  })
  if not client_id then
    error('vim.lsp.start_client failed')
  end
  vim.lsp.buf_attach_client(buf, client_id)
  report.nvim = tostring(vim.version().major) .. '.' .. tostring(vim.version().minor)

  wait_for('the first diagnostics', function()
    return has(buf, 'sla', 'missing-section')
  end)
  report.opened = diagnostics(buf)

  -- An edit that is not saved: a placeholder after non-ASCII text.
  local line = tonumber(env('DESIGNGATE_EDIT_LINE'))
  vim.api.nvim_buf_set_lines(buf, line, line, false, { 'Zoë 😀 TODO here.', '' })
  wait_for('the placeholder of the unsaved edit', function()
    return has(buf, 'why', 'placeholder')
  end)
  report.edited = diagnostics(buf)

  -- The code action on the finding's line, chosen as a user would.
  local sla
  for _, d in ipairs(diagnostics(buf)) do
    if d.code == 'sla' then
      sla = d
    end
  end
  vim.api.nvim_win_set_cursor(0, { sla.lnum + 1, 0 })
  local chosen = false
  vim.ui.select = function(items, _, on_choice)
    report.actions = {}
    local pick
    for _, item in ipairs(items) do
      table.insert(report.actions, title_of(item))
      if title_of(item) == 'Insert missing section `## SLA`' then
        pick = item
      end
    end
    chosen = true
    on_choice(pick)
  end
  vim.lsp.buf.code_action()
  wait_for('the code action menu', function()
    return chosen
  end)
  wait_for('the diagnostics after the fix', function()
    return not has(buf, 'sla', 'missing-section') and has(buf, 'sla', 'hollow-section')
  end)
  report.fixed = diagnostics(buf)
  vim.cmd('write')
  report.lines = vim.api.nvim_buf_get_lines(buf, 0, -1, false)
end

local ok, err = xpcall(main, debug.traceback)
report.error = ok and vim.NIL or tostring(err)
local out = assert(io.open(env('DESIGNGATE_REPORT'), 'w'))
out:write(vim.fn.json_encode(report))
out:close()
vim.cmd(ok and 'qall!' or 'cquit 1')
