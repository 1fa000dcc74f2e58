from ifex_tui.cli import main

main()
