sh ../../../golden/exit-site.sh exemption-error
