;;; eglot.el --- drive Emacs's eglot against `designgate lsp'  -*- lexical-binding: t -*-
;;
;; Run by tests/editors.rs with `emacs --batch -l eglot.el': sets eglot up
;; as docs/editors.md says, opens a design document, waits for the
;; diagnostics Flymake shows, picks "Insert missing section" from
;; `eglot-code-actions' as a user would, saves, waits for the diagnostics
;; of the saved text, and writes what it saw as
;; JSON to $DESIGNGATE_REPORT.  Works with Emacs 28 and Debian's elpa-eglot
;; (1.9) and elpa-markdown-mode.

(require 'cl-lib)
(require 'json)
(package-initialize)
(require 'markdown-mode)
(require 'eglot)

(defvar designgate-report nil "What the script saw, as an alist.")

(defun designgate-diagnostics ()
  "The buffer's Flymake diagnostics as [CODE LINE MESSAGE] vectors."
  (vconcat
   (sort
    (mapcar (lambda (d)
              (let ((lsp (cdr (assoc 'eglot-lsp-diag (flymake-diagnostic-data d)))))
                (vector (plist-get lsp :code)
                        (line-number-at-pos (flymake-diagnostic-beg d))
                        (plist-get lsp :message))))
            (flymake-diagnostics))
    (lambda (a b) (< (aref a 1) (aref b 1))))))

(defun designgate-wait (what predicate)
  "Let Emacs run until PREDICATE holds, or fail naming WHAT."
  (let ((deadline (+ (float-time) 60)))
    (while (and (not (funcall predicate)) (< (float-time) deadline))
      (accept-process-output nil 0.1)
      ;; Flymake checks again when Emacs is idle, which a batch session
      ;; never is: ask it, as its idle timer would.
      (when (bound-and-true-p flymake-mode)
        (flymake-start)))
    (unless (funcall predicate)
      (error "Timed out waiting for %s" what))))

(defun designgate-has (code)
  (cl-some (lambda (d) (equal (aref d 0) code)) (designgate-diagnostics)))

(defun designgate-run ()
  ;; The setup of docs/editors.md.
  (with-eval-after-load 'eglot
    (add-to-list 'eglot-server-programs
                 '((markdown-mode gfm-mode) . ("designgate" "lsp"))))
  (add-hook 'markdown-mode-hook #'eglot-ensure)
  (find-file (getenv "DESIGNGATE_FILE"))
  (markdown-mode)
  ;; eglot-ensure connects after the next command.
  (run-hooks 'post-command-hook)
  (designgate-wait "the diagnostics" (lambda () (designgate-has "sla")))
  (push (cons 'opened (designgate-diagnostics)) designgate-report)
  ;; The code action on the title line, picked from eglot's menu.
  (goto-char (point-min))
  (search-forward "\n# ")
  (let ((last-nonmenu-event 13)
        (offered nil))
    (cl-letf (((symbol-function 'completing-read)
               (lambda (_prompt items &rest _)
                 (setq offered (mapcar #'car items))
                 "Insert missing section `## SLA`")))
      (eglot-code-actions (line-beginning-position) (line-end-position) nil t))
    (push (cons 'actions offered) designgate-report))
  ;; eglot sends changes when Emacs is idle, which a batch session never
  ;; is; saving sends them too.
  (save-buffer)
  (designgate-wait "the diagnostics after the fix"
                   (lambda ()
                     (cl-some (lambda (d) (and (equal (aref d 0) "sla")
                                               (string-match-p "is empty" (aref d 2))))
                              (designgate-diagnostics))))
  (push (cons 'fixed (designgate-diagnostics)) designgate-report))

(let ((error-message
       (condition-case err
           (progn (designgate-run) nil)
         (error (error-message-string err)))))
  (push (cons 'error error-message) designgate-report)
  (with-temp-file (getenv "DESIGNGATE_REPORT")
    (insert (json-encode designgate-report)))
  (ignore-errors (eglot-shutdown-all))
  (kill-emacs (if error-message 1 0)))
